"""A worker killed with SIGKILL mid-task: the job runs again and its effect happens once."""

import os
import signal

import pytest
from sqlalchemy import select

from mancrel.core.redis import get_redis
from mancrel.worker.models import TaskCompletion
from tests.worker.helpers import enqueue_committed, eventually


async def _broker_is_done(redis) -> bool:
    # kombu's Redis transport keeps a delivered, unacknowledged message in "unacked".
    return await redis.llen("default") == 0 and await redis.hlen("unacked") == 0


@pytest.mark.parametrize(("stall", "runs"), [
    ("before_commit", 2),  # the first run's transaction dies with the process: run again
    ("after_commit", 1),   # committed but not acknowledged: redelivered, seen as done, skipped
])
async def test_job_killed_mid_task_is_redelivered_and_its_effect_happens_once(
        stall, runs, committed_db, celery_worker, effects):
    redis = get_redis()
    key = f"kill-{stall}"
    message = await enqueue_committed(committed_db, "tests.slow_record", key=key, stall=stall)

    await eventually(lambda: redis.get(f"test:stalled:{key}"))
    child = int(await redis.get(f"test:pid:{key}"))
    assert child != celery_worker.pid  # the pool child running the job, not the supervisor
    os.kill(child, signal.SIGKILL)

    # reject_on_worker_lost hands the job back to the queue; a new child takes it.
    await eventually(lambda: celery_worker.output().count(f"tests.slow_record[{message.id}] received") == 2)
    await eventually(lambda: _broker_is_done(redis))
    completed = await committed_db.scalar(
        select(TaskCompletion.task_id).where(TaskCompletion.task_id == str(message.id)))
    assert completed == str(message.id)
    assert await effects(key) == 1
    assert int(await redis.get(f"test:runs:{key}")) == runs
    assert celery_worker.process.poll() is None  # the worker itself carried on
