"""What `mancrel run` checks before starting anything: the data folder is free, and so is the port."""

import errno
import fcntl
import os
import socket
import sys
from pathlib import Path
from typing import IO

from mancrel.core import console
from mancrel.core.runstate import read_state


def acquire_lock(data_dir: Path) -> IO[str]:
    """Held for the whole run; a second run on the same folder says who holds it and exits."""
    lock_file = open(data_dir / "run.lock", "a+")  # noqa: SIM115 - held for the whole run
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock_file.seek(0)
        pid = lock_file.read().strip() or "unknown"
        state = read_state(data_dir) or {}
        where = f", serving {state['url']}" if state.get("url") else ""
        console.say(f"Mancrel is already running on the data folder {data_dir} (pid {pid}{where}). "
                    "Stop it first (Ctrl-C in its terminal, or kill " + pid + "), "
                    "or set MANCREL_DATA_DIR to another folder.")
        sys.exit(1)
    lock_file.truncate(0)
    lock_file.write(str(os.getpid()))
    lock_file.flush()
    return lock_file


def _holder(port: int) -> str:
    """Who listens on `port`, when the system tells us (it may not, for another user's process)."""
    try:
        import psutil

        for conn in psutil.net_connections(kind="tcp"):
            if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
                process = psutil.Process(conn.pid)
                return f" by pid {conn.pid} ({' '.join(process.cmdline())[:80] or process.name()})"
    except Exception:  # noqa: S110 - the message is complete without the name
        pass
    return ""


def check_port(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind((host, port))
            return True
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
    console.say(f"Mancrel cannot start: port {port} on {host} is already taken{_holder(port)}. "
                f"Stop that, or choose another port: MANCREL_PORT={port + 1} make run")
    return False
