"""Shared by the insights recommendation bench scripts: where the data lives, its sizes, and the
bench/crm helpers (paths, environment) they reuse."""

import importlib.util
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

# bench/crm/common.py under another name (this file is `common` too): it puts backend/ on the
# path and holds the bench environment (database URL, fixed secret key).
_spec = importlib.util.spec_from_file_location("crm_common", Path(__file__).resolve().parents[1] / "crm" / "common.py")
_crm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_crm)
BACKEND, BENCH_SECRET, bench_env, start_api = _crm.BACKEND, _crm.BENCH_SECRET, _crm.bench_env, _crm.start_api

DEFAULT_DATA_DIR = Path(os.environ.get("MANCREL_BENCH_RECO_DIR", "/tmp/mancrel-bench-reco"))  # noqa: S108
FULL = {"products": 100_000, "customers": 50_000}
END = datetime(2026, 12, 1, tzinfo=UTC)
SPAN = timedelta(days=720)
SPLIT = END - timedelta(days=90)  # train on what happened before, predict the purchases after
HOLDOUT = "holdout.json"


def sizes(scale: float) -> dict[str, int]:
    return {name: max(200, int(count * scale)) for name, count in FULL.items()}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


__all__ = ["BACKEND", "BENCH_SECRET", "DEFAULT_DATA_DIR", "END", "FULL", "HOLDOUT", "SPAN", "SPLIT", "bench_env",
           "percentile", "sizes", "start_api"]
