"""Making two requests overlap for real, on committed data.

The `client` fixture runs every request on one connection's savepoints, one after another:
nothing there ever waits for a lock or loses a race. These tests use `committed_client`
(each request its own session and connection, committing for real) and make the overlap
certain rather than likely: a third connection holds the contested row locked, both
requests are sent, and the lock is let go only once both wait on it. The database then
decides, as it would between two users.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

WAITING = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")


@asynccontextmanager
async def row_held(engine: AsyncEngine, table: str, row_id: Any) -> AsyncIterator[None]:
    """Hold one row locked (FOR UPDATE) in a transaction of its own until the block ends."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        await conn.execute(text(f"SELECT 1 FROM {table} WHERE id = :id FOR UPDATE"), {"id": row_id})  # noqa: S608
        try:
            yield
        finally:
            await transaction.rollback()


async def lock_waiters(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(WAITING)


async def overlapping(engine: AsyncEngine, table: str, row_id: Any, *calls: Awaitable) -> list:
    """Run `calls` at once while `row_id` is locked; release it once each waits on a lock
    (or after 10 s, for a request that never needs the row: the test's assertions judge)."""
    async with row_held(engine, table, row_id):
        tasks = [asyncio.ensure_future(call) for call in calls]
        deadline = asyncio.get_running_loop().time() + 10
        while await lock_waiters(engine) < len(calls) and asyncio.get_running_loop().time() < deadline:
            if any(task.done() for task in tasks):
                break  # one finished without the row: nothing more will queue up
            await asyncio.sleep(0.02)
    return await asyncio.gather(*tasks)
