"""`mancrel run` end to end: the README's first promise, as a new user meets it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

from mancrel.core.embedded import free_port


def _start(data_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "MANCREL_ENV", "MANCREL_SECRET_KEY", "MANCREL_DEMO")}
    env.update(MANCREL_DATA_DIR=str(data_dir), MANCREL_PORT=str(port), MANCREL_ADMIN_EMAIL="boss@example.com")
    return subprocess.Popen([sys.executable, "-m", "mancrel", "run"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _read_until(process: subprocess.Popen, marker: str, timeout: float = 120) -> list[str]:
    lines, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError(f"{marker!r} never printed; output:\n{''.join(lines[-40:])}")


def _login(port: int, email: str, password: str) -> dict:
    response = httpx.post(f"http://127.0.0.1:{port}/api/v1/auth/login",
                          json={"email": email, "password": password}, timeout=10)
    response.raise_for_status()
    return response.json()


def _wait_for_classifier(port: int, token: str, timeout: float = 300) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = httpx.get(f"http://127.0.0.1:{port}/api/v1/ai/models",
                             headers={"Authorization": f"Bearer {token}"}, timeout=10)
        response.raise_for_status()
        if response.json()["items"]:
            return response.json()["items"]
        time.sleep(1)
    raise AssertionError("no classifier was prepared after start")


def _descendants(process: subprocess.Popen) -> list[psutil.Process]:
    return psutil.Process(process.pid).children(recursive=True)


def _processes_using(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if any(str(data_dir) in part for part in proc.info["cmdline"] or []):
            found.append(proc)
    return found


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)


def test_run_starts_everything_refuses_a_second_run_and_stops_cleanly(tmp_path):
    data_dir, port = tmp_path / "data", free_port()
    first = _start(data_dir, port)
    try:
        output = "".join(_read_until(first, "Mancrel is running at"))
        assert f"http://127.0.0.1:{port}" in output
        output += "".join(_read_until(first, "demo users"))
        password = output.split("boss@example.com / ")[1].split()[0]
        session = _login(port, "boss@example.com", password)
        assert session["token_type"] == "bearer"
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        children = _descendants(first)
        names = " ".join(" ".join(p.cmdline()) for p in children)
        assert "mancrel serve" in names and "mancrel worker" in names and "mancrel beat" in names

        second = subprocess.run([sys.executable, "-m", "mancrel", "run"], capture_output=True, text=True,
                                timeout=60, env={**os.environ, "MANCREL_DATA_DIR": str(data_dir),
                                                 "MANCREL_PORT": str(free_port())})
        assert second.returncode == 1
        assert "already running" in second.stdout

        # Nobody has classified anything, yet the worker has trained the first model from the
        # shipped data, so the first customer message does not wait for it.
        models = _wait_for_classifier(port, session["access_token"])
        assert [(m["version"], m["is_active"]) for m in models] == [(1, True)]
        assert models[0]["training_rows"] >= 1500
    finally:
        _stop(first)
    assert first.returncode == 0
    assert not [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not _processes_using(data_dir)  # embedded PostgreSQL and Valkey are gone too

    again = _start(data_dir, port)
    try:
        output = "".join(_read_until(again, "Mancrel is running at"))
        time.sleep(1)
        assert "first admin" not in output  # same data: no new admin, no second demo load
        assert _login(port, "boss@example.com", password)["access_token"]
    finally:
        _stop(again)
