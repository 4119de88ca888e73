"""`mancrel run`: the whole product in one command, and nothing left behind on exit.

Starts the embedded servers (unless DATABASE_URL / REDIS_URL point elsewhere), migrates,
creates the first admin, loads demo data on first start, queues the classifier's preparation,
then runs api, worker and beat as child processes and supervises them:

- a child that exits is restarted, after a pause that doubles with each failure in a row
  (1 s, 2 s, 4 s ... up to a minute) and starts over once it has stayed up for a minute; the
  others keep running, so the API keeps taking webhooks while the worker crash-loops;
- an embedded server that dies is started again on its port, with its data;
- `run-state.json` (core/runstate) tells /api/v1/system/status what happened.

SIGINT/SIGTERM stop, in order, the API, beat and the worker, then Valkey and PostgreSQL:
only what this run started. A lock on the data folder keeps a second run off the same data.
Each child's output goes to `logs/` (core/logfiles); the console gets the steps, a box with
what a newcomer needs, and warnings.
"""

import asyncio
import os
import secrets
import shutil
import signal
import time
from pathlib import Path

from mancrel.core import console
from mancrel.core.config import Settings, get_settings
from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey
from mancrel.core.logfiles import rotate_copytruncate
from mancrel.core.run_checks import acquire_lock, check_port
from mancrel.core.run_children import Child, ChildSet
from mancrel.core.runstate import write_state
from mancrel.demo_outbox import DemoOutbox

STOP_TIMEOUT = 30
WATCH_INTERVAL = 0.5


class Stop(Exception):
    """Raised by the signal handler to unwind into the orderly shutdown."""


def _secret_key(data_dir: Path) -> str:
    """A random key kept in the data folder, so sessions survive restarts in development."""
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


async def _bootstrap(settings: Settings, outbox_port: int | None) -> tuple[str | None, bool, str | None, bool]:
    """The first admin's generated password (first start only), whether the demo was loaded now,
    how to post mail to the demo's email channel, and whether its replies go to the demo outbox."""
    from mancrel.core.db import dispose_engine, unit_of_work
    from mancrel.demo import load_demo_data
    from mancrel.demo_outbox import HOST
    from mancrel.inbox.demo import use_outbox, webhook_hint
    from mancrel.user import service as user_service
    from mancrel.worker.outbox import enqueue

    try:
        async with unit_of_work() as session:
            generated = await user_service.ensure_first_admin(
                session, email=settings.admin_email, password=settings.admin_password)
            demo_loaded = await load_demo_data(session) if settings.demo else False
            enqueue(session, "ai.prepare_classifier")
            base_url = f"http://{settings.host}:{settings.port}"
            mail_hint = await webhook_hint(session, base_url) if settings.demo else None
            outbox = outbox_port is not None and await use_outbox(session, HOST, outbox_port)
        return generated, demo_loaded, mail_hint, outbox
    finally:
        await dispose_engine()


class Server:
    """An embedded server this run started, watched like a child."""

    def __init__(self, name: str, server: EmbeddedPostgres | EmbeddedValkey) -> None:
        self.name, self.server = name, server
        self.record = Child(name)

    def start(self) -> None:
        self.server.start()
        self.record.started(self.server.pid)


class Supervisor:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.data_dir = settings.data_dir.resolve()
        self.logs = self.data_dir / "logs"
        self.servers: list[Server] = []
        self.children: ChildSet | None = None
        self.demo_mail: str | None = None  # "POST /webhook/email/<id> ..." for the demo channel, shown in the box
        self.outbox: DemoOutbox | None = None  # where the demo mailbox's replies go (demo only)
        self.outbox_used = False  # the demo channel sends through it (not when an admin set a real server)
        self.url = f"http://{settings.host}:{settings.port}"

    # -- start ------------------------------------------------------------------------
    def prepare_environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("MANCREL_SECRET_KEY", _secret_key(self.data_dir))
        env["MANCREL_DATA_DIR"] = str(self.data_dir)
        if not self.settings.database_url:
            with console.step("PostgreSQL started"):
                postgres = Server("postgres", EmbeddedPostgres(self.data_dir / "postgres",
                                                              log_path=self.logs / "postgres.log"))
                postgres.start()
                self.servers.append(postgres)
            env["DATABASE_URL"] = postgres.server.url
        if not self.settings.redis_url:
            with console.step("Valkey started"):
                valkey = Server("valkey", EmbeddedValkey(self.data_dir / "valkey",
                                                         log_path=self.logs / "valkey.log"))
                valkey.start()
                self.servers.append(valkey)
            env["REDIS_URL"] = valkey.server.url
        metrics_dir = self.data_dir / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)  # samples of a previous run's dead processes
        metrics_dir.mkdir()
        env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        return env

    def start(self) -> tuple[str | None, bool]:
        env = self.prepare_environment()
        os.environ.update(env)
        get_settings.cache_clear()
        self.settings = get_settings()
        from mancrel.core.migrate import upgrade_to_head

        with console.step("migrations applied"):
            upgrade_to_head(self.settings.database_url)
        if self.settings.demo:
            self.outbox = self._start_outbox()
        with console.step("first admin and demo data"):
            generated, demo_loaded, self.demo_mail, self.outbox_used = asyncio.run(
                _bootstrap(self.settings, self.outbox.port if self.outbox else None))
        self.children = ChildSet(env, self.logs, self.write_state)
        with console.step("API ready"):
            self.children.start("api")
            if not self.children.wait_api(self.url):
                raise RuntimeError(f"the API did not become ready; see {self.logs / 'api.log'}")
        with console.step("worker ready"):
            self.children.start("worker")
            self.children.start("beat")  # both start at once; their readiness is reported in turn
            if not self.children.wait_worker():
                console.say(f"  ! the worker is slow to start; see {self.logs / 'worker.log'}")
        with console.step("beat ready"):
            if not self.children.wait_beat():
                console.say(f"  ! beat is slow to start; see {self.logs / 'beat.log'}")
        self.write_state()
        return generated, demo_loaded

    def _start_outbox(self) -> DemoOutbox | None:
        """The demo mailbox's local SMTP stand-in; without it the demo runs on, its replies unsent."""
        outbox = DemoOutbox(self.data_dir / "outbox", on_mail=lambda line: console.say(f"  {line}"))
        try:
            outbox.start()
        except Exception as exc:
            console.say(f"  ! the demo outbox did not start ({exc}); demo replies cannot be sent")
            return None
        return outbox

    # -- watch ------------------------------------------------------------------------
    def watch(self) -> None:
        last_rotation = 0.0
        while True:
            time.sleep(WATCH_INTERVAL)
            for server in self.servers:
                self._watch_server(server)
            self.children.watch()
            if time.monotonic() - last_rotation > 30:
                last_rotation = time.monotonic()
                for server in self.servers:
                    rotate_copytruncate(server.server.log_path)

    def _watch_server(self, server: Server) -> None:
        record = server.record
        if record.state == "running" and not server.server.alive():
            record.exited(None)
            self.children.note(f"{server.name} stopped unexpectedly; starting it again in "
                               f"{record.delay():.0f} s (log: {server.server.log_path})", "ERROR")
            self.write_state()
        if record.state == "restarting" and time.monotonic() >= record.next_start_at:
            try:
                server.start()
                self.children.note(f"{server.name} is running again", "WARNING")
            except Exception as exc:  # a port still held, a slow disk: try again, later
                record.exited(None)
                self.children.note(f"{server.name} did not start ({exc}); trying again in "
                                   f"{record.delay():.0f} s", "ERROR")
            self.write_state()

    def write_state(self) -> None:
        processes = [s.record.as_dict() for s in self.servers]
        if self.children is not None:
            processes = self.children.as_dicts() + processes
        write_state(self.data_dir, {"pid": os.getpid(), "url": self.url, "processes": processes})

    # -- stop -------------------------------------------------------------------------
    def stop(self) -> None:
        """API, beat, worker, then Valkey and PostgreSQL; all within STOP_TIMEOUT."""
        deadline = time.monotonic() + STOP_TIMEOUT
        if self.children is not None:
            self.children.stop(deadline - 5)  # the servers' share: a few seconds
        if self.outbox is not None:
            self.outbox.stop()
        for server in reversed(self.servers):
            if server.server.alive():
                server.server.stop()
                if self.children is not None:
                    self.children.note(f"{server.name} stopped")
            server.record.stopped()
        if self.children is not None:
            self.children.close()
        self.write_state()


def _welcome(supervisor: Supervisor, generated: str | None, demo_loaded: bool) -> None:
    settings = supervisor.settings
    lines = [f"Mancrel is running at {supervisor.url}", ""]
    if generated:
        lines.append(f"admin:  {settings.admin_email} / {generated}  (shown once: keep it safe)")
    else:
        lines.append(f"admin:  {settings.admin_email} (password as set on the first start)")
    if settings.demo:
        from mancrel.user.demo import DEMO_PASSWORD, DEMO_TEAM

        lines.append(f"demo:   {', '.join(email for email, _, _ in DEMO_TEAM)}")
        lines.append(f"        password {DEMO_PASSWORD}")
        if supervisor.demo_mail:
            lines.append(f"mail:   {supervisor.demo_mail}")
        if supervisor.outbox_used:
            lines.append(f"sent:   the demo mailbox's replies go to a local stand-in (port {supervisor.outbox.port}):")
            lines.append(f"        nothing is delivered; each is saved in {supervisor.outbox.folder}")
    lines += [f"logs:   {supervisor.logs}  (mancrel logs api|worker|beat|postgres|valkey -f)",
              "stop:   Ctrl-C"]
    console.box(lines)
    if demo_loaded:
        console.say("  demo data loaded (first start)")


def run(settings: Settings) -> int:
    data_dir = settings.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = acquire_lock(data_dir)
    if not check_port(settings.host, settings.port):
        lock.close()
        return 1

    def on_signal(signum: int, _frame) -> None:
        raise Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    console.say(f"Mancrel: starting (data folder {data_dir})")
    if os.geteuid() == 0:
        console.say("  running as root: fine for a container or a trial machine; in production, run "
                    "each process as a dedicated user")
    supervisor = Supervisor(settings)
    started = time.monotonic()
    try:
        generated, demo_loaded = supervisor.start()
        console.done("started", time.monotonic() - started)
        _welcome(supervisor, generated, demo_loaded)
        supervisor.children.announce_classifier()
        supervisor.watch()
    except Stop as stop:
        console.say(f"Mancrel: {stop}: stopping")
        return 0
    except Exception as exc:
        console.say(f"Mancrel could not start: {exc}")
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stopping = time.monotonic()
        supervisor.stop()
        lock.close()
        console.say(f"Mancrel: stopped ({time.monotonic() - stopping:.1f} s)")
    return 0
