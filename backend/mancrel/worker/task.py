"""`@job("domain.action")`: a Celery task that runs an async function in one transaction.

The function receives the session and the job's keyword arguments (ids only). Arguments
annotated as `uuid.UUID` arrive as UUIDs. The transaction commits when the function
returns; jobs it enqueues are published after that commit.
"""

import functools
import inspect
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from celery import Task
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import unit_of_work
from mancrel.worker import runtime
from mancrel.worker.app import TASK_TIME_LIMIT, celery_app

JobFunction = Callable[..., Awaitable[Any]]


def _uuid_params(fn: JobFunction) -> set[str]:
    hints = inspect.get_annotations(fn, eval_str=True)
    return {name for name, hint in hints.items() if hint in (uuid.UUID, uuid.UUID | None)}


async def run_job(fn: JobFunction, kwargs: dict[str, Any]) -> Any:
    async with unit_of_work() as session:
        return await fn(session, **kwargs)


def job(name: str, *, time_limit: int = TASK_TIME_LIMIT) -> Callable[[JobFunction], Task]:
    def decorate(fn: JobFunction) -> Task:
        uuid_params = _uuid_params(fn)

        @celery_app.task(name=name, bind=True, acks_late=True, reject_on_worker_lost=True,
                         time_limit=time_limit, soft_time_limit=max(1, time_limit - 10))
        @functools.wraps(fn)
        def task(self: Task, **kwargs: Any) -> Any:
            typed = {k: uuid.UUID(v) if k in uuid_params and isinstance(v, str) else v
                     for k, v in kwargs.items()}
            return runtime.run(run_job(fn, typed))

        task.run_async = fn  # the plain coroutine, for callers already on a loop
        return task

    return decorate


__all__ = ["AsyncSession", "job", "run_job"]
