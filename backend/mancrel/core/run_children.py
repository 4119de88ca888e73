"""The api, worker and beat processes of `mancrel run`: started, logged, restarted with backoff."""

import ctypes
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mancrel.core import console
from mancrel.core.logfiles import ProcessOutput, RotatingFile, human_line

CHILDREN = {"api": ["serve"], "worker": ["worker"], "beat": ["beat"]}
STOP_ORDER = ("api", "beat", "worker")  # stop taking work first, then stop scheduling, then finish jobs
STABLE_AFTER = 60  # seconds up after which a process counts as recovered: its backoff starts over


def max_backoff() -> float:
    """The longest pause before a restart (60 s); MANCREL_RUN_MAX_BACKOFF shortens it for tests."""
    return float(os.environ.get("MANCREL_RUN_MAX_BACKOFF", "60"))
STOP_SHARE = {"api": 10, "beat": 5, "worker": 25}  # seconds each may take, within the run's deadline
_CLASSIFIER_DONE = re.compile(r"ai\.prepare_classifier\[[^\]]*\] succeeded in ([\d.]+)s")


def _now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class Child:
    """What the status page shows of one supervised process."""

    name: str
    state: str = "starting"  # running, restarting, stopped
    pid: int | None = None
    restarts: int = 0
    failures_in_a_row: int = 0
    last_exit_code: int | None = None
    last_exit_at: str | None = None
    next_start_at: float = 0.0  # monotonic
    next_restart_at: str | None = None
    _started: float = 0.0

    def started(self, pid: int | None) -> None:
        self.state, self.pid, self._started, self.next_restart_at = "running", pid, time.monotonic(), None

    def delay(self) -> float:
        return float(min(max_backoff(), 2 ** max(0, self.failures_in_a_row - 1)))

    def exited(self, code: int | None) -> None:
        if time.monotonic() - self._started >= STABLE_AFTER:
            self.failures_in_a_row = 0
        self.failures_in_a_row += 1
        self.restarts += 1
        self.state, self.pid, self.last_exit_code, self.last_exit_at = "restarting", None, code, _now()
        self.next_start_at = time.monotonic() + self.delay()
        self.next_restart_at = (datetime.now(UTC) + timedelta(seconds=self.delay())).isoformat()

    def stopped(self) -> None:
        self.state, self.pid, self.next_restart_at = "stopped", None, None

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in ("name", "state", "pid", "restarts", "last_exit_code",
                                                     "last_exit_at", "next_restart_at")}


def _die_with_parent() -> None:
    # Children get SIGTERM if the supervisor itself is killed, so nothing is orphaned.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class ChildSet:
    def __init__(self, env: dict[str, str], logs: Path, on_change) -> None:
        self.env, self.logs, self.on_change = env, logs, on_change
        self.records = {name: Child(name) for name in CHILDREN}
        self.processes: dict[str, subprocess.Popen] = {}
        self.files = {name: RotatingFile(logs / f"{name}.log") for name in CHILDREN}
        self.run_log = RotatingFile(logs / "run.log")
        self.beat_started = threading.Event()
        self._classifier: tuple[float | None, console.Spinner | None, bool] = (None, None, False)
        self._classifier_lock = threading.Lock()

    def start(self, name: str) -> None:
        # A session of their own: Ctrl-C reaches only the supervisor, which then stops them in order.
        process = subprocess.Popen([sys.executable, "-m", "mancrel", *CHILDREN[name]], env=self.env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                   preexec_fn=_die_with_parent)
        output = ProcessOutput(name, self.files[name], console.say, on_line=self._watcher(name))
        output.follow(process.stdout, is_stderr=False)
        output.follow(process.stderr, is_stderr=True)
        self.processes[name] = process
        self.records[name].started(process.pid)
        self.on_change()

    def note(self, message: str, level: str = "INFO") -> None:
        """The supervisor's own events: in logs/run.log, and on the console from WARNING up."""
        entry = {"time": _now(), "level": level, "logger": "mancrel.run", "message": message}
        self.run_log.write(json.dumps(entry) + "\n")
        if level != "INFO":
            console.say(human_line("run", entry))

    def watch(self) -> None:
        for name, process in list(self.processes.items()):
            record = self.records[name]
            if record.state == "running" and process.poll() is not None:
                record.exited(process.returncode)
                self.note(f"{name} exited with code {process.returncode}; restarting it in {record.delay():.0f} s "
                          f"({record.failures_in_a_row} in a row; log: {self.logs / (name + '.log')})", "ERROR")
                self.on_change()
            elif record.state == "restarting" and time.monotonic() >= record.next_start_at:
                self.start(name)
                self.note(f"{name} restarted (pid {self.processes[name].pid})", "WARNING")

    # -- readiness ----------------------------------------------------------------------
    def wait_api(self, url: str, timeout: float = 90) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes["api"].poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def wait_worker(self, timeout: float = 60) -> bool:
        """Until the worker's heartbeat (worker/heartbeat.py) names its pid: it consumes jobs."""
        import redis

        client = redis.Redis.from_url(self.env["REDIS_URL"], decode_responses=True, socket_timeout=2)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and self.processes["worker"].poll() is None:
                for key in client.scan_iter(match="mancrel:workers:*"):
                    value = client.get(key)
                    if value and json.loads(value).get("pid") == self.processes["worker"].pid:
                        return True
                time.sleep(0.2)
        finally:
            client.close()
        return False

    def wait_beat(self, timeout: float = 30) -> bool:
        return self.beat_started.wait(timeout)

    def announce_classifier(self) -> None:
        """After the welcome box: a spinner until the worker has the classifier ready."""
        with self._classifier_lock:
            seconds, _, _ = self._classifier
            if seconds is not None:
                console.done("classifier model ready", seconds)
                return
            spinner = console.Spinner("preparing the classifier model").__enter__()
            self._classifier = (None, spinner, True)

    def _classifier_ready(self, seconds: float) -> None:
        with self._classifier_lock:
            _, spinner, announced = self._classifier
            self._classifier = (seconds, None, announced)
            if spinner is not None:
                spinner.__exit__(None, None, None)
            if announced:
                console.done("classifier model ready", seconds)

    def _watcher(self, name: str):
        def on_line(line: str, entry: dict | None) -> None:
            if entry is None:
                return
            message = str(entry.get("message", ""))
            if name == "beat" and message.startswith("beat: Starting"):
                self.beat_started.set()
            elif name == "worker" and (found := _CLASSIFIER_DONE.search(message)):
                self._classifier_ready(float(found.group(1)))

        return on_line

    # -- stop ---------------------------------------------------------------------------
    def stop(self, deadline: float) -> None:
        with self._classifier_lock:
            _, spinner, _ = self._classifier
            if spinner is not None:
                spinner.__exit__(None, None, None)
        for name in STOP_ORDER:
            process = self.processes.get(name)
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    until = min(deadline, time.monotonic() + STOP_SHARE[name])
                    process.wait(timeout=max(0.1, until - time.monotonic()))
                except subprocess.TimeoutExpired:
                    self.note(f"{name} did not stop in time; killing it", "WARNING")
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                self.note(f"{name} stopped")
            self.records[name].stopped()

    def as_dicts(self) -> list[dict]:
        return [record.as_dict() for record in self.records.values()]

    def close(self) -> None:
        for file in [*self.files.values(), self.run_log]:
            file.close()
