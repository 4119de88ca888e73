"""`mancrel run` end to end, as a new user meets it: a calm start-up, logs in files, a second run
or a taken port explained, a clean stop (issue 25)."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import redis

from mancrel.core.embedded import free_port

ADMIN = "boss@example.com"


def _env(data_dir: Path, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "MANCREL_ENV", "MANCREL_SECRET_KEY", "MANCREL_DEMO",
                        "MANCREL_LOG_CONSOLE", "MANCREL_EXTRA_TASK_MODULES")}
    env.update(MANCREL_DATA_DIR=str(data_dir), MANCREL_PORT=str(port), MANCREL_ADMIN_EMAIL=ADMIN, **extra)
    return env


class Run:
    """A `mancrel run` whose console output is collected as it comes."""

    def __init__(self, data_dir: Path, port: int, **extra: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "mancrel", "run"], env=_env(data_dir, port, **extra),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, marker: str, timeout: float = 240) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker in self.output:
                return self.output
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.2)
        raise AssertionError(f"{marker!r} never printed; output:\n{self.output[-4000:]}")

    def stop(self) -> float:
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=10)
        return time.monotonic() - started


def _processes_using(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline", "cwd", "status"]):
        if proc.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        places = [proc.info["cwd"] or "", *(proc.info["cmdline"] or [])]
        if any(str(data_dir) in place for place in places):
            found.append(proc)
    return found


def _login(port: int, email: str, password: str) -> dict:
    response = httpx.post(f"http://127.0.0.1:{port}/api/v1/auth/login",
                          json={"email": email, "password": password}, timeout=10)
    response.raise_for_status()
    return response.json()


def test_first_and_second_run_speak_plainly_and_stop_cleanly(tmp_path, servers):
    data_dir, port = tmp_path / "data", free_port()
    first = Run(data_dir, port)
    try:
        output = first.wait_for("stop:")
        # Each step with its time, then the box a newcomer needs.
        for step in ("PostgreSQL started", "Valkey started", "migrations applied", "first admin and demo data",
                     "API ready", "worker ready", "beat ready"):
            assert re.search(rf"✓ {step}\s+\d+\.\d s", output), f"step {step!r} missing:\n{output}"
        assert f"Mancrel is running at http://127.0.0.1:{port}" in output
        password = re.search(rf"admin:\s+{re.escape(ADMIN)} / (\S+)", output).group(1)
        assert "rita.rep@example.com" in output and "password mancrel-demo-2026" in output
        assert f"logs:   {data_dir.resolve() / 'logs'}" in output and "Ctrl-C" in output
        assert _login(port, ADMIN, password)["token_type"] == "bearer"
        assert _login(port, "rita.rep@example.com", "mancrel-demo-2026")["access_token"]
        # The demo's mail channel, as the box tells a newcomer to use it: a signed Mailgun forward.
        mail = re.search(r"mail:\s+POST (\S+) \(Mailgun format, signing key (\w+)\)", output)
        assert mail, output
        assert _post_mailgun(mail.group(1), mail.group(2)) == 200

        # While the worker trains the first model: a second run on the same folder says who holds
        # it; a run on a taken port says which.
        second = subprocess.run([sys.executable, "-m", "mancrel", "run"], capture_output=True, text=True,
                                timeout=60, env=_env(data_dir, free_port()))
        assert second.returncode == 1
        assert f"already running on the data folder {data_dir.resolve()} (pid {first.process.pid}" in second.stdout
        assert f"http://127.0.0.1:{port}" in second.stdout
        taken = subprocess.run([sys.executable, "-m", "mancrel", "run"], capture_output=True, text=True,
                               timeout=60, env=_env(tmp_path / "other", port))
        assert taken.returncode == 1
        assert f"port {port} on 127.0.0.1 is already taken" in taken.stdout and "MANCREL_PORT=" in taken.stdout
        assert not _processes_using(tmp_path / "other")

        # The first model: announced once the worker has it (it trains from the shipped data).
        output = first.wait_for("✓ classifier model ready", timeout=300)
        # Nothing of Celery's banner, per-task lines, JSON INFO lines or the root warning.
        for noise in ("[tasks]", "-------------- ", "Task ai.", "received", '"level": "INFO"', "SecurityWarning",
                      "superuser privileges", "Sending due task", "Uvicorn running"):
            assert noise not in output, f"{noise!r} reached the console:\n{output}"

        # The logs went to files instead, JSON as before, and `mancrel logs` shows them.
        logs = data_dir.resolve() / "logs"
        api_lines = [json.loads(line) for line in (logs / "api.log").read_text().splitlines() if line.startswith("{")]
        assert any(entry["message"].startswith("Uvicorn running") for entry in api_lines)
        assert "Task ai.prepare_classifier" in (logs / "worker.log").read_text()
        assert "beat: Starting" in (logs / "beat.log").read_text()
        assert "ready to accept connections" in (logs / "postgres.log").read_text()
        assert "Ready to accept connections" in (logs / "valkey.log").read_text()
        shown = subprocess.run([sys.executable, "-m", "mancrel", "logs", "beat"], env=_env(data_dir, port),
                               capture_output=True, text=True, timeout=30)
        assert shown.returncode == 0 and "beat: Starting" in shown.stdout
        children = psutil.Process(first.process.pid).children(recursive=True)
    finally:
        stop_seconds = first.stop()
    assert first.process.returncode == 0
    assert stop_seconds < 30
    assert not [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not _processes_using(data_dir)  # embedded PostgreSQL and Valkey are gone too

    # The second start, on a Valkey of someone else's (REDIS_URL): its stop leaves that one running.
    again = Run(data_dir, port, REDIS_URL=servers["valkey"].url)
    try:
        output = again.wait_for("stop:")
        assert f"admin:  {ADMIN} (password as set on the first start)" in output
        assert password not in output  # the generated password is shown on the first start only
        assert "demo data loaded" not in output and "Valkey started" not in output
        assert _login(port, ADMIN, password)["access_token"]
    finally:
        again.stop()
    assert again.process.returncode == 0
    assert not _processes_using(data_dir)
    assert servers["valkey"].alive()
    assert redis.Redis.from_url(servers["valkey"].url).ping()


def test_port_check_names_a_process_that_holds_the_port(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        taken = subprocess.run([sys.executable, "-m", "mancrel", "run"], capture_output=True, text=True, timeout=60,
                               env=_env(tmp_path / "data", port))
    assert taken.returncode == 1
    assert f"port {port} on 127.0.0.1 is already taken by pid {os.getpid()}" in taken.stdout
    assert f"MANCREL_PORT={port + 1}" in taken.stdout


def _post_mailgun(url: str, signing_key: str) -> int:
    import hashlib
    import hmac
    import time
    import uuid
    from urllib.parse import urlencode
    from urllib.request import Request, urlopen

    timestamp, token = str(int(time.time())), uuid.uuid4().hex
    fields = {"sender": "new.customer@example.org", "from": "New Customer <new.customer@example.org>",
              "recipient": "hello@trailhead-outfitters.example", "subject": "Hello",
              "body-plain": "Do you ship to Iceland?", "timestamp": timestamp, "token": token,
              "signature": hmac.new(signing_key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest(),
              "message-headers": '[["Message-Id", "<first-run@example.org>"]]'}
    request = Request(url, data=urlencode(fields).encode(), method="POST",  # noqa: S310 (our own local server)
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status
