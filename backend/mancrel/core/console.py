"""What `make run` prints: one line per start-up step with its time, a spinner while a slow
step runs, and a box with what a newcomer needs. Standard library only: the Makefile runs
this file with the system Python to show its own steps (installing, building the web app)
before the virtual environment exists:

    python3 backend/mancrel/core/console.py "Installing Python packages" -- pip install ...
"""

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_lock = threading.Lock()
_spinning = threading.Event()  # a spinner owns the current terminal line


def _stream() -> IO[str]:
    return sys.stdout


def say(message: str) -> None:
    with _lock:
        if _spinning.is_set():
            _stream().write("\r\033[K")  # a warning printed mid-spin starts on a clean line
        print(message, file=_stream(), flush=True)


def _seconds(elapsed: float) -> str:
    return f"{elapsed:.1f} s" if elapsed < 60 else f"{int(elapsed // 60)} min {int(elapsed % 60)} s"


class Spinner:
    """Redraws `⠋ label… 12 s` in place while a step runs, on a terminal only: a log file or a
    pipe (CI, tests) gets the finished line alone."""

    def __init__(self, label: str) -> None:
        self.label, self.started = label, time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._draw, daemon=True) if _stream().isatty() else None

    def __enter__(self) -> "Spinner":
        if self._thread:
            _spinning.set()
            self._thread.start()
        return self

    def _draw(self) -> None:
        frame = 0
        while not self._stop.wait(0.1):
            elapsed = _seconds(time.monotonic() - self.started)
            with _lock:
                _stream().write(f"\r  {SPINNER[frame % len(SPINNER)]} {self.label}… {elapsed}\033[K")
                _stream().flush()
            frame += 1

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread and self._thread.is_alive():
            self._thread.join()
            with _lock:
                _spinning.clear()
                _stream().write("\r\033[K")


def done(label: str, elapsed: float, ok: bool = True) -> None:
    say(f"  {'✓' if ok else '✗'} {label:<34} {_seconds(elapsed):>8}")


@contextmanager
def step(label: str) -> Iterator[None]:
    """`  ✓ label  0.4 s` once the block is done, `  ✗ label` if it raised."""
    started = time.monotonic()
    ok = False
    try:
        with Spinner(label):
            yield
        ok = True
    finally:
        done(label, time.monotonic() - started, ok)


def box(lines: list[str]) -> None:
    width = max(len(line) for line in lines) + 2
    say("┌" + "─" * width + "┐")
    for line in lines:
        say(f"│ {line.ljust(width - 1)}│")
    say("└" + "─" * width + "┘")


def run_step(label: str, command: list[str]) -> int:
    """Run `command` as one step; its output is shown only if it fails."""
    output = b""
    code = 1
    try:
        with step(label):
            completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
            output, code = completed.stdout, completed.returncode
            if code:
                raise RuntimeError
    except RuntimeError:
        sys.stdout.write(output.decode(errors="replace"))
    return code


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit('usage: console.py "step label" -- command [args...]')
    sys.exit(run_step(sys.argv[1], sys.argv[3:]))
