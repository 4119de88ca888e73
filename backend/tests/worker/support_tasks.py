"""Test-only jobs, imported by the worker subprocess through MANCREL_EXTRA_TASK_MODULES.

Each writes a row to `worker_test_effects` (created by tests/worker/conftest.py, not a
migration), the effect the tests count. Redis keys under `test:` let a test watch a job
from outside: its child pid, when it is inside the dangerous window, how often it ran.
"""

import asyncio
import os

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import after_commit
from mancrel.core.redis import get_redis
from mancrel.worker.errors import PermanentError
from mancrel.worker.task import job


async def _effect(session: AsyncSession, key: str, note: str | None = None) -> None:
    await session.execute(text("INSERT INTO worker_test_effects (key, note) VALUES (:key, :note)"),
                          {"key": key, "note": note})


@job("tests.record")
async def record(session: AsyncSession, key: str) -> None:
    await _effect(session, key)


@job("tests.slow_record")
async def slow_record(session: AsyncSession, key: str, stall: str) -> None:
    """Writes its effect, then stalls on its first run, before or after its commit, so a
    test can SIGKILL the worker child at that moment."""
    redis = get_redis()
    runs = await redis.incr(f"test:runs:{key}")
    await redis.set(f"test:pid:{key}", os.getpid())
    await _effect(session, key)
    if runs > 1:
        return

    async def stall_here() -> None:
        await redis.set(f"test:stalled:{key}", "1")
        await asyncio.sleep(60)  # the test kills this process long before

    if stall == "before_commit":
        await stall_here()
    else:
        after_commit(session, stall_here)


@job("tests.call_shop", max_retries=2, retry_base=0.2, retry_max=0.5)
async def call_shop(session: AsyncSession, key: str, url: str) -> None:
    """Calls a third party (a local HTTP server in the test); a 5xx is transient."""
    await get_redis().incr(f"test:runs:{key}")
    async with httpx.AsyncClient(timeout=5) as http:
        response = await http.get(url)
        response.raise_for_status()
    await _effect(session, key, note=response.text)


@job("tests.refuse", max_retries=5, retry_base=0.2)
async def refuse(session: AsyncSession, key: str) -> None:
    await get_redis().incr(f"test:runs:{key}")
    await _effect(session, key)  # rolled back with the failure
    raise PermanentError(f"record {key} is not acceptable")
