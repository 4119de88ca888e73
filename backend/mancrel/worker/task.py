"""`@job("domain.action")`: a Celery task that runs an async function in one transaction.

The function receives the session and the job's keyword arguments (ids only). Arguments
annotated as `uuid.UUID` arrive as UUIDs. The transaction commits when the function
returns; jobs it enqueues are published after that commit.

Reliability, for every job:
- `acks_late` + `reject_on_worker_lost`: a worker killed mid-task leaves the message to
  be delivered again (at least once).
- Exactly-once effects: the job's id (the outbox id) is written to `task_completions`
  in the job's own transaction, first thing. A redelivered job whose transaction already
  committed finds the row and is skipped; a concurrent duplicate waits on the row lock.
  Effects outside the database (an HTTP call) can still repeat: make them idempotent
  (idempotency keys) or check the state first. `once=False` skips the bookkeeping for
  jobs that are idempotent by nature and run often (beat's relay).
- `done_when`, for a job whose work can end in a terminal state (a delivery processed): a cheap
  read before the claim; True means a committed transaction already did the job's work for good,
  so it returns as skipped without writing its completion row (its transaction writes nothing).
  As safe as the claim: the state it reads never goes back, so a redelivered or duplicate copy
  reads it too and skips again, and while it is False the claim decides as before.
- Transient errors (worker/errors.py) are retried with exponential backoff and jitter,
  up to `max_retries`; other errors, `PermanentError` included, and the last transient
  one go to the dead letters (mancrel/deadletter), from where an admin replays them.
"""

import functools
import inspect
import logging
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from celery import Task
from celery.exceptions import Retry, SoftTimeLimitExceeded
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import unit_of_work, utcnow
from mancrel.deadletter import failures as dead_letter_failures
from mancrel.worker import runtime
from mancrel.worker.app import TASK_TIME_LIMIT, VISIBILITY_TIMEOUT, celery_app
from mancrel.worker.errors import backoff_seconds, is_transient
from mancrel.worker.metrics import TASK_DURATION, TASKS
from mancrel.worker.models import TaskCompletion

logger = logging.getLogger("mancrel.worker")

JobFunction = Callable[..., Awaitable[Any]]
DoneWhen = Callable[..., Awaitable[bool]]  # (session, **the job's kwargs) -> the work is done for good
DEFAULT_MAX_RETRIES = 6        # with a 2 s base: waits of about 2, 4, 8, 16, 32, 64 s
ALREADY_DONE = object()        # run_job's answer for a job that committed before


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = DEFAULT_MAX_RETRIES
    base: float = 2.0
    maximum: float = 600.0
    dead_letter: bool = True  # False for periodic jobs: the next run is the retry


def _uuid_params(fn: JobFunction) -> set[str]:
    hints = inspect.get_annotations(fn, eval_str=True)
    return {name for name, hint in hints.items() if hint in (uuid.UUID, uuid.UUID | None)}


async def _claim(session: AsyncSession, task_id: str, task_name: str) -> bool:
    """Record the job as done in this transaction; False if it already committed."""
    claimed = await session.scalar(
        insert(TaskCompletion).values(task_id=task_id, task_name=task_name, completed_at=utcnow())
        .on_conflict_do_nothing(index_elements=[TaskCompletion.task_id]).returning(TaskCompletion.task_id))
    return claimed is not None


async def run_job(fn: JobFunction, kwargs: dict[str, Any], *, task_id: str | None = None,
                  task_name: str | None = None, done_when: DoneWhen | None = None) -> Any:
    async with unit_of_work() as session:
        if done_when is not None and await done_when(session, **kwargs):
            return ALREADY_DONE
        if task_id is not None and not await _claim(session, task_id, task_name or fn.__name__):
            return ALREADY_DONE
        return await fn(session, **kwargs)


def _fail(task: Task, exc: Exception, kwargs: dict[str, Any], policy: RetryPolicy) -> None:
    """Retry a transient failure (raises celery's Retry) or dead-letter the job."""
    request = task.request
    try:
        runtime.run(dead_letter_failures.note_failure(request.id))
    except Exception:  # Redis trouble: only the first-failure time is lost, never the job
        logger.warning("could not note the failure time", exc_info=True, extra={"task_id": request.id})
    transient = is_transient(exc) or isinstance(exc, SoftTimeLimitExceeded)
    if transient and request.retries < policy.max_retries:
        countdown = backoff_seconds(request.retries, base=policy.base, maximum=policy.maximum)
        TASKS.labels(task.name, "retried").inc()
        logger.warning("task failed, retrying in %.1fs", countdown, extra={
            "task": task.name, "task_id": request.id, "attempt": request.retries + 1, "error": repr(exc)})
        raise task.retry(exc=exc, countdown=countdown, max_retries=policy.max_retries)
    if not policy.dead_letter:
        logger.error("periodic task failed", exc_info=exc, extra={"task": task.name})
        return
    try:
        runtime.run(dead_letter_failures.record(
            task_id=request.id, task_name=task.name, kwargs=kwargs, error=exc,
            traceback="".join(traceback.format_exception(exc)), attempts=request.retries + 1))
    except Exception:
        # Neither retried nor stored would lose the job (the database is probably down):
        # keep it in the broker and try again later, however many attempts that takes.
        logger.exception("could not dead-letter the job; it will run again", extra={"task_id": request.id})
        raise task.retry(exc=exc, countdown=policy.maximum, max_retries=request.retries + 1) from None
    TASKS.labels(task.name, "dead_lettered").inc()
    logger.error("task dead-lettered", extra={"task": task.name, "task_id": request.id,
                                              "attempts": request.retries + 1, "error": repr(exc)})


def _execute(task: Task, fn: JobFunction, kwargs: dict[str, Any], typed: dict[str, Any],
             policy: RetryPolicy, once: bool, done_when: DoneWhen | None) -> Any:
    started = time.perf_counter()
    try:
        result = runtime.run(run_job(fn, typed, task_id=task.request.id if once else None,
                                     task_name=task.name, done_when=done_when))
    except Retry:
        raise
    except Exception as exc:  # every failure is either retried or dead-lettered, never lost
        _fail(task, exc, kwargs, policy)
        return None
    finally:
        TASK_DURATION.labels(task.name).observe(time.perf_counter() - started)
    if result is ALREADY_DONE:
        TASKS.labels(task.name, "skipped").inc()
        logger.info("task already done, skipped", extra={"task": task.name, "task_id": task.request.id})
        return None
    TASKS.labels(task.name, "succeeded").inc()
    return result


def job(name: str, *, time_limit: int = TASK_TIME_LIMIT, max_retries: int = DEFAULT_MAX_RETRIES,
        retry_base: float = 2.0, retry_max: float = 600.0, once: bool = True,
        dead_letter: bool = True, done_when: DoneWhen | None = None) -> Callable[[JobFunction], Task]:
    # A job still running (or waiting for its retry countdown) when the broker's visibility
    # timeout passes is handed to a second worker while the first goes on.
    if time_limit >= VISIBILITY_TIMEOUT or retry_max >= VISIBILITY_TIMEOUT:
        raise ValueError(f"{name}: time limit {time_limit} s and longest retry wait {retry_max} s must stay "
                         f"below the broker's visibility timeout ({VISIBILITY_TIMEOUT} s); split the job")
    policy = RetryPolicy(max_retries=max_retries, base=retry_base, maximum=retry_max, dead_letter=dead_letter)

    def decorate(fn: JobFunction) -> Task:
        uuid_params = _uuid_params(fn)

        @celery_app.task(name=name, bind=True, acks_late=True, reject_on_worker_lost=True,
                         time_limit=time_limit, soft_time_limit=max(1, time_limit - 10),
                         max_retries=max_retries)
        @functools.wraps(fn)
        def task(self: Task, **kwargs: Any) -> Any:
            typed = {k: uuid.UUID(v) if k in uuid_params and isinstance(v, str) else v
                     for k, v in kwargs.items()}
            return _execute(self, fn, kwargs, typed, policy, once, done_when)

        task.run_async = fn  # the plain coroutine, for callers already on a loop
        task.done_when = done_when
        return task

    return decorate


__all__ = ["ALREADY_DONE", "AsyncSession", "RetryPolicy", "job", "run_job"]
