import asyncio
import time
from collections.abc import Callable

from mancrel.core.db import commit
from mancrel.worker.outbox import enqueue


async def eventually(check: Callable, *, within: float = 30, interval: float = 0.1):
    """Poll until `check()` (sync or async) returns something truthy; its value, or fail."""
    deadline = time.monotonic() + within
    while True:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {within}s: {check}")
        await asyncio.sleep(interval)


async def broker_is_idle(redis) -> bool:
    """Nothing waiting in the queue and nothing delivered but unacknowledged (kombu's Redis
    transport keeps those in "unacked"; jobs are acknowledged after their commit). Once this
    holds after a job's effect showed, any duplicate sent with it has run too."""
    return await redis.llen("default") == 0 and await redis.hlen("unacked") == 0


async def enqueue_committed(session, task_name: str, **kwargs):
    """Enqueue in the session's transaction and commit: the job is published after commit."""
    message = enqueue(session, task_name, **kwargs)
    await commit(session)
    return message
