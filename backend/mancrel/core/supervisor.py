"""`mancrel run`: the whole product in one command, and nothing left behind on exit.

Starts the embedded servers (unless DATABASE_URL / REDIS_URL point elsewhere), migrates,
creates the first admin, loads demo data on first start, queues the classifier's preparation,
then runs api, worker and beat
as child processes and supervises them. SIGINT/SIGTERM stop every child and then the
embedded servers. A lock on the data folder keeps a second run off the same data.
"""

import asyncio
import ctypes
import fcntl
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

from mancrel.core.config import Settings, get_settings
from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey

CHILDREN = {"api": ["serve"], "worker": ["worker"], "beat": ["beat"]}
STOP_TIMEOUT = 30
MAX_RESTARTS = 5


class Stop(Exception):
    """Raised by the signal handler to unwind into the orderly shutdown."""


def _say(message: str) -> None:
    print(f"mancrel: {message}", flush=True)


def _acquire_lock(data_dir: Path) -> IO[str]:
    lock_file = open(data_dir / "run.lock", "a+")  # noqa: SIM115 - held for the whole run
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock_file.seek(0)
        pid = lock_file.read().strip() or "unknown"
        _say(f"Mancrel is already running on the data folder {data_dir} (pid {pid}). "
             "Stop it first (Ctrl-C in its terminal), or set MANCREL_DATA_DIR to another folder.")
        sys.exit(1)
    lock_file.truncate(0)
    lock_file.write(str(os.getpid()))
    lock_file.flush()
    return lock_file


def _secret_key(data_dir: Path) -> str:
    """A random key kept in the data folder, so sessions survive restarts in development."""
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _die_with_parent() -> None:
    # Children get SIGTERM if the supervisor itself is killed, so nothing is orphaned.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _spawn(name: str, env: dict[str, str]) -> subprocess.Popen:
    # A session of their own: Ctrl-C reaches only the supervisor, which then stops them in order.
    return subprocess.Popen([sys.executable, "-m", "mancrel", *CHILDREN[name]], env=env,
                            start_new_session=True, preexec_fn=_die_with_parent)


def _stop_children(children: dict[str, subprocess.Popen]) -> None:
    for process in children.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for name, process in children.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _say(f"{name} did not stop in {STOP_TIMEOUT}s; killing it")
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_ready(url: str, children: dict[str, subprocess.Popen], timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if children["api"].poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


async def _bootstrap(settings: Settings) -> tuple[str | None, bool]:
    from mancrel.core.db import dispose_engine, unit_of_work
    from mancrel.demo import load_demo_data
    from mancrel.user import service as user_service
    from mancrel.worker.outbox import enqueue

    try:
        async with unit_of_work() as session:
            generated = await user_service.ensure_first_admin(
                session, email=settings.admin_email, password=settings.admin_password)
            demo_loaded = await load_demo_data(session) if settings.demo else False
            enqueue(session, "ai.prepare_classifier")
        return generated, demo_loaded
    finally:
        await dispose_engine()


def _prepare_environment(settings: Settings, data_dir: Path, servers: list) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("MANCREL_SECRET_KEY", _secret_key(data_dir))
    env["MANCREL_DATA_DIR"] = str(data_dir)
    if not settings.database_url:
        postgres = EmbeddedPostgres(data_dir / "postgres")
        _say("starting embedded PostgreSQL")
        postgres.start()
        servers.append(postgres)
        env["DATABASE_URL"] = postgres.url
    if not settings.redis_url:
        valkey = EmbeddedValkey(data_dir / "valkey")
        _say("starting embedded Valkey")
        valkey.start()
        servers.append(valkey)
        env["REDIS_URL"] = valkey.url
    metrics_dir = data_dir / "metrics"
    shutil.rmtree(metrics_dir, ignore_errors=True)  # samples of a previous run's dead processes
    metrics_dir.mkdir()
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    return env


def _supervise(children: dict[str, subprocess.Popen], env: dict[str, str]) -> int:
    restarts: list[float] = []
    while True:
        time.sleep(0.5)
        for name, process in list(children.items()):
            code = process.poll()
            if code is None:
                continue
            now = time.monotonic()
            restarts = [t for t in restarts if now - t < 60] + [now]
            if len(restarts) > MAX_RESTARTS:
                _say(f"{name} keeps exiting (last code {code}); stopping everything")
                return 1
            _say(f"{name} exited with code {code}; restarting it")
            children[name] = _spawn(name, env)


def run(settings: Settings) -> int:
    data_dir = settings.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = _acquire_lock(data_dir)

    def on_signal(signum: int, _frame) -> None:
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    servers: list[EmbeddedPostgres | EmbeddedValkey] = []
    children: dict[str, subprocess.Popen] = {}
    try:
        env = _prepare_environment(settings, data_dir, servers)
        os.environ.update(env)
        get_settings.cache_clear()
        settings = get_settings()

        from mancrel.core.migrate import upgrade_to_head

        _say("applying migrations")
        upgrade_to_head(settings.database_url)
        generated, demo_loaded = asyncio.run(_bootstrap(settings))

        for name in CHILDREN:
            children[name] = _spawn(name, env)
        url = f"http://{settings.host}:{settings.port}"
        if not _wait_ready(url, children):
            _say("the API did not become ready; see the log above")
            return 1
        _print_welcome(url, settings, generated, demo_loaded)
        return _supervise(children, env)
    except Stop as stop:
        _say(f"{stop}: stopping")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _stop_children(children)
        for server in reversed(servers):
            server.stop()
        lock.close()
        _say("stopped")


def _print_welcome(url: str, settings: Settings, generated: str | None, demo_loaded: bool) -> None:
    _say(f"Mancrel is running at {url}  (Ctrl-C to stop)")
    if generated:
        _say(f"first admin: {settings.admin_email} / {generated}  (shown once: keep it safe)")
    if demo_loaded:
        from mancrel.user.demo import DEMO_PASSWORD, DEMO_TEAM

        logins = ", ".join(email for email, _, _ in DEMO_TEAM)
        _say(f"demo users ({logins}) sign in with the password {DEMO_PASSWORD}")
