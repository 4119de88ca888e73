"""Debian's servers and checkers the infrastructure tests drive, installed when missing (as
`make test` does for Dovecot and Chromium), and small process helpers."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
INFRA = ROOT / "infrastructure"

# binary -> Debian package
PACKAGES = {
    "nginx": "nginx",
    "promtool": "prometheus",
    "prometheus": "prometheus",
    "shellcheck": "shellcheck",
    "prometheus-postgres-exporter": "prometheus-postgres-exporter",
    "prometheus-redis-exporter": "prometheus-redis-exporter",
}
_SBIN = ("/usr/sbin", "/usr/bin", "/sbin")


def tool(name: str) -> str:
    """Path of a binary, installed with apt-get when it is missing (root only)."""
    found = shutil.which(name) or next((f"{d}/{name}" for d in _SBIN if os.access(f"{d}/{name}", os.X_OK)), None)
    if found:
        return found
    assert os.geteuid() == 0, f"{name} is missing: apt-get install {PACKAGES[name]} (make test does)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", PACKAGES[name]],
                   check=True, env=env, capture_output=True)
    return tool(name)


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"port {port} never opened:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
