"""What the job runner (worker/task.py) writes when a job fails: the time of its first
failure, and the dead letter once it gives up.

Kept apart from `deadletter.service`, which replays letters through the outbox: the job
runner sits below the outbox, so it reaches dead letters only through this module and
the repository, never back up through the service.
"""

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import unit_of_work, utcnow
from mancrel.core.redis import get_redis
from mancrel.deadletter.repository import DeadLetterRepository

logger = logging.getLogger("mancrel.deadletter")

FIRST_FAILURE_KEY = "mancrel:task:first-failure:{}"
FIRST_FAILURE_TTL = timedelta(days=7)


# (session, the job's kwargs, its last error): what a job left half done when it gave up, settled by
# the domain whose job it is (a reply whose send job stopped must not stay "queued" where nobody looks).
DeadLetterHook = Callable[[AsyncSession, dict[str, Any], BaseException], Awaitable[None]]
_HOOKS: dict[str, DeadLetterHook] = {}


def on_dead_letter(task_name: str, hook: DeadLetterHook) -> None:
    """Run `hook` in the dead letter's own transaction whenever a `task_name` job gives up."""
    _HOOKS[task_name] = hook


async def _settle(session: AsyncSession, task_name: str, kwargs: dict[str, Any], error: BaseException) -> None:
    hook = _HOOKS.get(task_name)
    if hook is None:
        return
    try:
        async with session.begin_nested():
            await hook(session, kwargs, error)
    except Exception:  # the letter itself must be kept, whatever its domain's follow-up does
        logger.exception("dead-letter follow-up failed", extra={"task": task_name})


async def note_failure(task_id: str) -> None:
    """Remember when a job first failed; its retries are new messages with the same id."""
    await get_redis().set(FIRST_FAILURE_KEY.format(task_id), utcnow().isoformat(), nx=True,
                          ex=int(FIRST_FAILURE_TTL.total_seconds()))


async def _first_failure(task_id: str) -> datetime:
    key = FIRST_FAILURE_KEY.format(task_id)
    try:
        value = await get_redis().getdel(key)
    except Exception:  # Redis trouble: the letter matters more than its first date
        value = None
    return datetime.fromisoformat(value) if value else utcnow()


async def record(*, task_id: str, task_name: str, kwargs: dict[str, Any], error: BaseException,
                 traceback: str, attempts: int) -> None:
    """Store a job that gave up, in its own transaction (the job's own was rolled back)."""
    first_failed_at = await _first_failure(task_id)
    async with unit_of_work() as session:
        await DeadLetterRepository(session).upsert(dict(
            task_id=task_id, task_name=task_name, kwargs=kwargs, error=str(error)[:10_000] or repr(error),
            error_type=f"{type(error).__module__}.{type(error).__qualname__}"[:200],
            traceback=traceback[-50_000:], attempts=attempts, first_failed_at=first_failed_at,
            last_failed_at=utcnow()))
        await _settle(session, task_name, kwargs, error)
