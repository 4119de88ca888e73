"""Shared by the CRM bench scripts (and bench/insights): where the data lives, how to reach it, and
one `mancrel serve` started and waited for."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

BACKEND = Path(__file__).resolve().parents[2] / "backend"
sys.path.insert(0, str(BACKEND))

DEFAULT_DATA_DIR = Path(os.environ.get("MANCREL_BENCH_DIR", "/tmp/mancrel-bench-crm"))  # noqa: S108
# A fixed key, so the measuring script can mint tokens the API it starts will accept.
BENCH_SECRET = "bench-secret-key-not-for-production-0123456789abcdef"

FULL = {"companies": 100_000, "contacts": 1_000_000, "deals": 300_000, "activities": 5_000_000}


def sizes(scale: float) -> dict[str, int]:
    return {name: max(10, int(count * scale)) for name, count in FULL.items()}


def bench_env(database_url: str, redis_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=database_url, MANCREL_ENV="development", MANCREL_SECRET_KEY=BENCH_SECRET,
               MANCREL_DEMO="0", LOG_LEVEL="WARNING", MANCREL_LOG_LEVEL="WARNING")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def start_api(env: dict, port: int, *, within: float = 120) -> subprocess.Popen:
    """One `mancrel serve` on 127.0.0.1:`port`, returned once /healthz answers."""
    process = subprocess.Popen([sys.executable, "-m", "mancrel", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=BACKEND, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("the API did not start")
