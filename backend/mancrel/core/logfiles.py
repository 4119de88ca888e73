"""Where the processes of `mancrel run` write, and what reaches the console.

Every child (api, worker, beat) writes JSON lines to its stdout and stderr as in production;
the supervisor reads both pipes and appends each line to `logs/<name>.log`, rotated by size.
One writer per file: the worker's pool children share their parent's pipe, so nothing
rotates a file under another process. Only warnings and errors reach the console, in a
human format, unless MANCREL_LOG_CONSOLE=all. PostgreSQL and Valkey write their own files
(opened for appending), which `rotate_copytruncate` rotates in place.
"""

import json
import os
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO

MAX_BYTES = 10 * 1024 * 1024
BACKUPS = 5
CONSOLE_LEVELS = {"WARNING", "ERROR", "CRITICAL"}


def _rotate_names(path: Path, backups: int) -> None:
    for index in range(backups - 1, 0, -1):
        older = path.with_name(f"{path.name}.{index}")
        if older.exists():
            older.replace(path.with_name(f"{path.name}.{index + 1}"))


class RotatingFile:
    """Appends lines to `path`; past `max_bytes` it becomes `path.1` (and so on, `backups` kept)."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        self.path, self.max_bytes, self.backups = path, max_bytes, backups
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the run
        self._size = self._file.tell()

    def write(self, line: str) -> None:
        with self._lock:
            if self._file.closed:  # a pool child outlived its parent's stop: nowhere to write
                return
            if self._size and self._size + len(line) > self.max_bytes:
                self._file.close()
                _rotate_names(self.path, self.backups)
                self.path.replace(self.path.with_name(f"{self.path.name}.1"))
                self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
                self._size = 0
            self._file.write(line)
            self._file.flush()
            self._size += len(line)

    def close(self) -> None:
        with self._lock:
            self._file.close()


def rotate_copytruncate(path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> bool:
    """Rotate a log another process holds open in append mode: copy it aside, then truncate it
    (its next write lands at the new end). A line written between copy and truncate is lost,
    the usual price of copytruncate, acceptable for server logs."""
    try:
        if path.stat().st_size <= max_bytes:
            return False
    except FileNotFoundError:
        return False
    _rotate_names(path, backups)
    with open(path, "rb") as source, open(path.with_name(f"{path.name}.1"), "wb") as target:
        while chunk := source.read(1 << 20):
            target.write(chunk)
    os.truncate(path, 0)
    return True


def human_line(process: str, entry: dict) -> str:
    """One JSON log entry as a person reads it: time, process, level, logger, message (and stack)."""
    try:
        clock = datetime.fromisoformat(entry["time"]).astimezone().strftime("%H:%M:%S")
    except (KeyError, TypeError, ValueError):
        clock = datetime.now().strftime("%H:%M:%S")
    text = f"{clock} {process:<6} {entry.get('level', 'INFO'):<7} {entry.get('logger', '')}: {entry.get('message', '')}"
    if entry.get("stack"):
        text += "\n" + "\n".join(f"    {line}" for line in str(entry["stack"]).splitlines())
    return text


def console_shows_all() -> bool:
    return os.environ.get("MANCREL_LOG_CONSOLE", "").strip().lower() == "all"


class ProcessOutput:
    """Reads one child's stdout and stderr into its rotating file and, filtered, the console."""

    def __init__(self, name: str, log: RotatingFile, console: Callable[[str], None],
                 on_line: Callable[[str, dict | None], None] | None = None) -> None:
        self.name, self.log, self.console, self.on_line = name, log, console, on_line
        self.show_all = console_shows_all()

    def follow(self, stream: IO[bytes], is_stderr: bool) -> threading.Thread:
        thread = threading.Thread(target=self._pump, args=(stream, is_stderr), name=f"log-{self.name}",
                                  daemon=True)
        thread.start()
        return thread

    def _pump(self, stream: IO[bytes], is_stderr: bool) -> None:
        for raw in iter(stream.readline, b""):
            self.handle(raw.decode("utf-8", errors="replace"), is_stderr)
        stream.close()

    def handle(self, line: str, is_stderr: bool) -> None:
        if not line.endswith("\n"):
            line += "\n"
        self.log.write(line)
        entry = _parse(line)
        if self.on_line is not None:
            self.on_line(line, entry)
        if entry is not None:
            if self.show_all or entry.get("level") in CONSOLE_LEVELS:
                self.console(human_line(self.name, entry))
        elif self.show_all or (is_stderr and line.strip()):
            # Not ours (a crash's traceback, a library's print to stderr): shown as it is.
            # Plain stdout (Celery's banner) stays in the file.
            self.console(f"{self.name:<6} | {line.rstrip()}")


def _parse(line: str) -> dict | None:
    if not line.startswith("{"):
        return None
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


LOG_NAMES = ("api", "worker", "beat", "postgres", "valkey", "run")
_print_lock = threading.Lock()


def print_log(path: Path, follow: bool, lines: int = 50, out: IO[str] = sys.stdout,
              stop: threading.Event | None = None, prefix: str = "") -> None:
    """`mancrel logs`: the last lines of a log, then (with follow) what is appended, across rotations."""
    stop = stop or threading.Event()

    def emit(text: str) -> None:
        with _print_lock:
            out.write(prefix + text)
            out.flush()

    log = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115 - reopened on rotation
    try:
        for line in log.readlines()[-lines:]:
            emit(line)
        while follow and not stop.is_set():
            line = log.readline()
            if line:
                emit(line)
            elif _rotated(path, log):
                log.close()
                log = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
            else:
                stop.wait(0.2)
    finally:
        log.close()


def _rotated(path: Path, log: IO[str]) -> bool:
    try:
        now = path.stat()
    except FileNotFoundError:
        return False
    return now.st_ino != os.fstat(log.fileno()).st_ino or now.st_size < log.tell()
