"""Jobs per second through outbox -> broker -> worker, on embedded PostgreSQL and Valkey.

    .venv/bin/python bench/worker/run.py [--jobs 2000] [--batch 100] [--concurrency 2]

Generator: `--jobs` jobs enqueued with `enqueue()` in transactions of `--batch` jobs each
(the outbox rows commit with the batch, then are published after commit, as a request
would). Driver: one `mancrel worker` (prefork, `--concurrency` children) on the same
machine. Reports, per task: the enqueue rate (outbox commit + publish) and the
end-to-end rate (first enqueue to last job committed).
"""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BACKEND = HERE.parents[1] / "backend"
sys.path[:0] = [str(BACKEND), str(HERE)]


def start_servers(root: Path):
    from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey

    postgres, valkey = EmbeddedPostgres(root / "postgres"), EmbeddedValkey(root / "valkey")
    postgres.start()
    valkey.start()
    os.environ.update(DATABASE_URL=postgres.url, REDIS_URL=valkey.url, MANCREL_ENV="test",
                      MANCREL_SECRET_KEY="bench-" + "x" * 40, MANCREL_DATA_DIR=str(root / "data"),
                      MANCREL_LOG_LEVEL="WARNING", MANCREL_EXTRA_TASK_MODULES="bench_tasks",
                      PYTHONPATH=os.pathsep.join([str(BACKEND), str(HERE)]))
    from mancrel.core.migrate import upgrade_to_head

    upgrade_to_head(postgres.url)
    return postgres, valkey


def start_worker(root: Path, concurrency: int) -> subprocess.Popen:
    import redis

    log = open(root / "worker.log", "wb")  # noqa: SIM115 (open for the worker's lifetime)
    process = subprocess.Popen([sys.executable, "-c", "from mancrel.cli import main; main()", "worker",
                                "-c", str(concurrency), "-n", "bench"], stdout=log, stderr=subprocess.STDOUT)
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    while not client.keys("mancrel:workers:*"):
        if process.poll() is not None:
            raise SystemExit((root / "worker.log").read_text())
        time.sleep(0.1)
    return process


async def _count(sql: str) -> int:
    from sqlalchemy import text

    from mancrel.core.db import get_engine

    async with get_engine().connect() as conn:
        return (await conn.execute(text(sql))).scalar_one()


async def run_one(task: str, jobs: int, batch: int, done_sql: str) -> dict[str, float]:
    from mancrel.core.db import unit_of_work
    from mancrel.worker.outbox import enqueue

    started = time.perf_counter()
    for first in range(0, jobs, batch):
        async with unit_of_work() as session:
            for n in range(first, min(first + batch, jobs)):
                enqueue(session, task, n=n)
    enqueued = time.perf_counter() - started
    for _ in range(36_000):  # up to an hour
        if await _count(done_sql) >= jobs:
            break
        await asyncio.sleep(0.1)
    total = time.perf_counter() - started
    return {"enqueue_per_s": jobs / enqueued, "end_to_end_per_s": jobs / total, "seconds": total}


async def main_async(args: argparse.Namespace) -> None:
    from bench_tasks import ROWS_DDL
    from sqlalchemy import text

    from mancrel.core.db import dispose_engine, get_engine

    async with get_engine().begin() as conn:
        await conn.execute(text(ROWS_DDL))
    await run_one("bench.noop", 50, 50, "SELECT count(*) FROM task_completions WHERE task_name = 'bench.noop'")
    await get_engine().dispose()
    async with get_engine().begin() as conn:  # warm-up done: start from empty tables
        await conn.execute(text("TRUNCATE task_completions, outbox_messages, bench_worker_rows"))
    results = {
        "bench.noop": await run_one("bench.noop", args.jobs, args.batch,
                                    "SELECT count(*) FROM task_completions WHERE task_name = 'bench.noop'"),
        "bench.write_row": await run_one("bench.write_row", args.jobs, args.batch,
                                         "SELECT count(*) FROM bench_worker_rows"),
    }
    for task, r in results.items():
        print(f"{task:<16} jobs={args.jobs} batch={args.batch} workers={args.concurrency}: "
              f"enqueue {r['enqueue_per_s']:7.0f}/s   end-to-end {r['end_to_end_per_s']:6.0f}/s"
              f"   ({r['seconds']:.1f} s)")
    await dispose_engine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100, help="jobs per enqueuing transaction")
    parser.add_argument("--concurrency", type=int, default=2, help="worker children")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mancrel-bench-worker-") as tmp:
        root = Path(tmp)
        postgres, valkey = start_servers(root)
        worker = start_worker(root, args.concurrency)
        try:
            asyncio.run(main_async(args))
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            valkey.stop()
            postgres.stop()


if __name__ == "__main__":
    main()
