"""Shared by the CRM bench scripts: where the data lives and how to reach it."""

import os
import sys
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"
sys.path.insert(0, str(BACKEND))

DEFAULT_DATA_DIR = Path(os.environ.get("MANCREL_BENCH_DIR", "/tmp/mancrel-bench-crm"))
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
