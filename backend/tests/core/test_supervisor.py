"""The supervisor of `mancrel run` under failure (issue 24, point 5): a crash-looping worker is
restarted with backoff while the API keeps answering, a killed Valkey comes back, the status
page says what happened, and the stop goes in order and leaves nothing behind."""

import json
import os
import signal
import time
from pathlib import Path

import httpx

from mancrel.core.embedded import free_port
from tests.core.test_run import Run, _login, _processes_using

ADMIN_PASSWORD = "supervisor-admin-password-1234"


def _state(data_dir: Path) -> dict[str, dict]:
    state = json.loads((data_dir / "run-state.json").read_text())
    return {p["name"]: p for p in state["processes"]}


def _until(condition, timeout: float = 90, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _status(port: int, token: str) -> dict:
    response = httpx.get(f"http://127.0.0.1:{port}/api/v1/system/status",
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
    response.raise_for_status()
    return response.json()


def _run_log(data_dir: Path) -> list[str]:
    return [json.loads(line)["message"] for line in (data_dir / "logs" / "run.log").read_text().splitlines()]


def test_crashes_are_restarted_with_backoff_and_the_api_stays_up(tmp_path):
    data_dir, port = (tmp_path / "data").resolve(), free_port()
    run = Run(data_dir, port, MANCREL_ADMIN_PASSWORD=ADMIN_PASSWORD, MANCREL_DEMO="false",
              MANCREL_RUN_MAX_BACKOFF="2")
    try:
        run.wait_for("stop:")
        token = _login(port, "boss@example.com", ADMIN_PASSWORD)["access_token"]

        # Six kills of the worker in a few seconds: before, the sixth stopped the whole product.
        killed = set()
        for _ in range(6):
            pid = _until(lambda: (w := _state(data_dir)["worker"])["state"] == "running"
                         and w["pid"] not in killed and w["pid"], what="a new worker")
            os.kill(pid, signal.SIGKILL)
            killed.add(pid)
        _until(lambda: _state(data_dir)["worker"]["restarts"] >= 6, what="the sixth exit noticed")
        assert run.process.poll() is None
        assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200
        worker = next(p for p in _status(port, token)["processes"] if p["name"] == "worker")
        assert worker["restarts"] >= 6 and worker["last_exit_code"] == -signal.SIGKILL
        assert worker["state"] in ("restarting", "running")
        assert "worker exited with code -9; restarting it in" in run.output  # on the console, calmly
        assert any("worker exited with code -9" in m for m in _run_log(data_dir))
        # Backoff: the pause before a restart grew with the failures in a row (1 s, then 2 s).
        assert "restarting it in 2 s" in run.output
        _until(lambda: _state(data_dir)["worker"]["state"] == "running", what="the worker back")

        # A killed Valkey is started again, on its port, and the API is ready again.
        valkey_pid = _state(data_dir)["valkey"]["pid"]
        os.kill(valkey_pid, signal.SIGKILL)
        _until(lambda: (v := _state(data_dir)["valkey"])["state"] == "running" and v["pid"] != valkey_pid,
               what="Valkey back")
        _until(lambda: httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200,
               what="ready again")
        token = _login(port, "boss@example.com", ADMIN_PASSWORD)["access_token"]
        valkey = next(p for p in _status(port, token)["processes"] if p["name"] == "valkey")
        assert valkey["restarts"] == 1 and valkey["state"] == "running"
        assert "valkey stopped unexpectedly" in run.output
    finally:
        seconds = run.stop()
    assert run.process.returncode == 0 and seconds < 30
    stopped = [m.split()[0] for m in _run_log(data_dir) if m.endswith(" stopped")]
    assert stopped == ["api", "beat", "worker", "valkey", "postgres"]
    assert not _processes_using(data_dir)

