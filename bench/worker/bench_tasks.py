"""Benchmark jobs, loaded by the worker through MANCREL_EXTRA_TASK_MODULES=bench_tasks."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.worker.task import job

ROWS_DDL = "CREATE TABLE IF NOT EXISTS bench_worker_rows (n integer PRIMARY KEY, written_at timestamptz DEFAULT now())"


@job("bench.noop")
async def noop(session: AsyncSession, n: int) -> None:
    """Nothing but the job machinery: claim its id in task_completions, commit."""


@job("bench.write_row")
async def write_row(session: AsyncSession, n: int) -> None:
    await session.execute(text("INSERT INTO bench_worker_rows (n) VALUES (:n)"), {"n": n})
