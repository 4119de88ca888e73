"""Test harness: real embedded PostgreSQL and Valkey in a temporary folder, once per run.

Each test runs in a transaction that is rolled back (the API's commits release a
savepoint inside it), and starts with an empty Redis.
"""

import contextlib
import os
import secrets
import shutil
import signal as _signal
import subprocess as _subprocess
import sys as _sys
import tempfile
import time as _time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey

_servers: dict = {}


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # pytest then finishes the session, and the hooks below stop the servers


def pytest_configure(config: pytest.Config) -> None:
    if _signal.getsignal(_signal.SIGTERM) is _signal.SIG_DFL:  # `kill`, a CI timeout: stop like Ctrl-C
        _signal.signal(_signal.SIGTERM, _interrupt)
    root = Path(tempfile.mkdtemp(prefix="mancrel-test-"))
    postgres = EmbeddedPostgres(root / "postgres")
    postgres.start()
    valkey = EmbeddedValkey(root / "valkey")
    valkey.start()
    _servers.update(root=root, postgres=postgres, valkey=valkey)
    os.environ.update(
        DATABASE_URL=postgres.url,
        REDIS_URL=valkey.url,
        MANCREL_ENV="test",
        MANCREL_SECRET_KEY=secrets.token_urlsafe(48),
        MANCREL_DATA_DIR=str(root / "data"),
        MANCREL_DEMO="0",
        # Stand-in shops and providers listen on 127.0.0.1; tests of the guard empty the list.
        MANCREL_FETCH_ALLOWED_NETWORKS="127.0.0.0/8,::1/128",
    )
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    from mancrel.core.config import get_settings
    from mancrel.core.migrate import upgrade_to_head

    get_settings.cache_clear()
    upgrade_to_head(postgres.url)


def _left_running(folders: list[Path]) -> list[str]:
    """Processes still running from the test folders (embedded servers, `mancrel run`, workers)."""
    import psutil

    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "cwd", "status"]):
        if proc.info["pid"] == os.getpid() or proc.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        places = [proc.info["cwd"] or "", *(proc.info["cmdline"] or [])]
        if any(place == str(folder) or place.startswith(f"{folder}/") for folder in folders for place in places):
            found.append(f"{proc.info['pid']}: {' '.join(proc.info['cmdline'] or [])[:120]}")
    return found


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the servers, then fail the run if anything the tests started is still alive."""
    if not _servers:
        return
    _servers["valkey"].stop()
    _servers["postgres"].stop()
    folders = [_servers["root"]]
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is not None and factory._basetemp is not None:
        folders.append(factory._basetemp)
    left = _left_running(folders)
    if left:
        print("\nprocesses left running by the tests (an error; stopping them):\n  " + "\n  ".join(left))
        for line in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(line.split(":")[0]), _signal.SIGKILL)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    if not _servers:
        return
    _servers["valkey"].stop()  # no-ops when the session finished normally
    _servers["postgres"].stop()
    shutil.rmtree(_servers["root"], ignore_errors=True)


@pytest.fixture(scope="session")
def servers() -> dict:
    """The embedded servers, for tests that stop, restart or point a subprocess at them."""
    return _servers


@pytest.fixture(scope="session")
async def engine():
    from mancrel.core.db import dispose_engine, init_engine

    engine = init_engine()
    yield engine
    await dispose_engine()


@pytest.fixture
async def db(engine) -> AsyncIterator[AsyncSession]:
    """A session whose work is rolled back after the test, commits included."""
    async with engine.connect() as connection:
        outer = await connection.begin()
        session = AsyncSession(bind=connection, join_transaction_mode="create_savepoint",
                               expire_on_commit=False)
        try:
            yield session
        finally:
            await session.close()
            await outer.rollback()


@pytest.fixture(autouse=True)
async def clean_redis(engine) -> AsyncIterator[None]:
    from mancrel.core.redis import get_redis

    await get_redis().flushdb()
    yield


@pytest.fixture(scope="session")
def app(engine):
    from mancrel.main import create_app

    return create_app()


@pytest.fixture
async def client(app, db) -> AsyncIterator[AsyncClient]:
    """An HTTP client for the real app whose requests share the test's transaction."""
    from mancrel.core.db import get_session, transaction

    async def test_session() -> AsyncIterator[AsyncSession]:
        # Each request gets its own session, as in production, on the test's connection:
        # its commit releases a savepoint, its rollback undoes only its own work, and the
        # test's objects are left alone. Reload them (`await db.refresh(obj)`) to see changes.
        await db.flush()
        async with AsyncSession(bind=db.bind, join_transaction_mode="create_savepoint",
                                expire_on_commit=False) as session, transaction(session):
            yield session

    app.dependency_overrides[get_session] = test_session
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
    app.dependency_overrides.clear()


# ---------------------------------------------------------------------------------------
# Real worker processes and committed data (workers engineer).
#
# A worker subprocess cannot see the `db` fixture's uncommitted rows, so tests that run
# jobs use `committed_db`: a session whose commits are real. It deletes, afterwards, the
# rows it created (by primary key) and empties the job bookkeeping tables that workers
# and the API write to (outbox, completions, dead letters, audit log). `committed_client`
# is an HTTP client on the app whose requests commit for real too; rows those requests (or jobs)
# create in other tables are not tracked: delete them in the test's own teardown.
#
#   async def test_x(committed_db, celery_worker):
#       user = await make_user(committed_db); await committed_db.commit()
#       enqueue(committed_db, "tests.record", key="a"); await commit(committed_db)  # core.db.commit
#
# `celery_worker` starts `mancrel worker` (prefork, one child) against the test servers,
# with the test-only tasks of tests/worker/support_tasks.py (via MANCREL_EXTRA_TASK_MODULES),
# and waits for its heartbeat. `valkey_control` stops and restarts the embedded Valkey on
# the same port (its append-only file keeps queued jobs).
# ---------------------------------------------------------------------------------------
BOOKKEEPING_TABLES = ("outbox_messages", "task_completions", "dead_letters", "audit_log")
TEST_TASK_MODULES = "tests.worker.support_tasks"


def worker_env(servers: dict, **extra: str) -> dict[str, str]:
    """The environment a `mancrel` subprocess needs to use the test servers."""
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    backend = str(Path(__file__).resolve().parents[1])
    env.update(DATABASE_URL=servers["postgres"].url, REDIS_URL=servers["valkey"].url, MANCREL_ENV="test",
               MANCREL_SECRET_KEY=os.environ["MANCREL_SECRET_KEY"], MANCREL_EXTRA_TASK_MODULES=TEST_TASK_MODULES,
               PYTHONPATH=os.pathsep.join(p for p in (backend, env.get("PYTHONPATH")) if p),
               MANCREL_LOG_LEVEL="INFO", **extra)
    return env


def mancrel_command(*args: str) -> list[str]:
    return [_sys.executable, "-c", "from mancrel.cli import main; main()", *args]


@pytest.fixture
async def committed_db(engine) -> AsyncIterator[AsyncSession]:
    from sqlalchemy import event, inspect, text

    created: list[tuple[str, dict]] = []
    session = AsyncSession(bind=engine, expire_on_commit=False)

    @event.listens_for(session.sync_session, "after_flush")
    def _track(sync_session, flush_context) -> None:
        for obj in sync_session.new:
            mapper = inspect(obj).mapper
            created.append((mapper.local_table.name,
                            {c.key: getattr(obj, c.key) for c in mapper.primary_key}))

    try:
        yield session
    finally:
        await session.rollback()
        await session.close()
        async with engine.begin() as conn:
            # TRUNCATE, not DELETE: the audit log refuses row deletes (append-only trigger).
            await conn.execute(text(f"TRUNCATE {', '.join(BOOKKEEPING_TABLES)}"))
            for table, key in reversed(created):  # children before the parents they point to
                where = " AND ".join(f"{column} = :{column}" for column in key)
                await conn.execute(text(f"DELETE FROM {table} WHERE {where}"), key)  # noqa: S608


@pytest.fixture
async def committed_client(app, committed_db) -> AsyncIterator[AsyncClient]:
    """Requests through the real session dependency: each one commits for real."""
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


class WorkerProcess:
    def __init__(self, process: _subprocess.Popen, log: Path) -> None:
        self.process, self.log = process, log

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(_signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except _subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """Stop at once, pool children included: for a teardown, where the graceful stop proves
        nothing and costs seconds (billiard's children sleep a second on their way out)."""
        import psutil

        if self.process.poll() is not None:
            return
        children: list[psutil.Process] = []
        with contextlib.suppress(psutil.NoSuchProcess):
            children = psutil.Process(self.process.pid).children(recursive=True)
            self.process.kill()
            self.process.wait()
            for child in children:
                with contextlib.suppress(psutil.NoSuchProcess):
                    child.kill()
        # Dead once a zombie (its sockets closed): the orphan is reaped by init, in its own time.
        deadline = _time.monotonic() + 10
        while any(_alive(child) for child in children) and _time.monotonic() < deadline:
            _time.sleep(0.01)


def _alive(process) -> bool:
    import psutil

    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def start_worker(servers: dict, log: Path, *args: str, **env: str) -> WorkerProcess:
    import redis as sync_redis

    client = sync_redis.Redis.from_url(servers["valkey"].url)
    name = f"test{os.getpid()}-{secrets.token_hex(3)}"
    with open(log, "ab") as out:
        process = _subprocess.Popen(
            mancrel_command("worker", "-c", "1", "-n", name, *args), stdout=out, stderr=_subprocess.STDOUT,
            env=worker_env(servers, **env), cwd=Path(__file__).resolve().parents[1])
    worker = WorkerProcess(process, log)
    deadline = _time.monotonic() + 60
    while not any(name in key.decode() for key in client.keys("mancrel:workers:*")):
        if process.poll() is not None or _time.monotonic() > deadline:
            worker.stop()
            raise RuntimeError(f"the worker did not start:\n{worker.output()[-4000:]}")
        _time.sleep(0.1)
    client.close()
    return worker


@pytest.fixture
def celery_worker(servers, clean_redis, tmp_path) -> Iterator[WorkerProcess]:
    """A real `mancrel worker` subprocess (prefork, one child), killed after the test."""
    worker = start_worker(servers, tmp_path / "worker.log")
    yield worker
    worker.kill()


class ValkeyControl:
    def __init__(self, valkey) -> None:
        self.valkey = valkey

    def stop(self) -> None:
        self.valkey.stop()

    def start(self) -> None:
        if not self.valkey.server.is_running():
            self.valkey.start()


@pytest.fixture
async def valkey_control(servers) -> AsyncIterator[ValkeyControl]:
    """Stop and restart the test Valkey (same port, same data); always running again after."""
    from mancrel.core.redis import close_redis

    control = ValkeyControl(servers["valkey"])
    yield control
    control.start()
    await close_redis()  # its pooled connections died with the old server
