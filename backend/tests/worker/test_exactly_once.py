"""A worker killed with SIGKILL mid-task: the job runs again and its effect happens once."""

import os
import signal

import pytest
from sqlalchemy import select

from mancrel.core.redis import get_redis
from mancrel.worker.models import TaskCompletion
from tests.conftest import start_worker
from tests.worker.helpers import broker_is_idle, enqueue_committed, eventually


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
    await eventually(lambda: broker_is_idle(redis))
    completed = await committed_db.scalar(
        select(TaskCompletion.task_id).where(TaskCompletion.task_id == str(message.id)))
    assert completed == str(message.id)
    assert await effects(key) == 1
    assert int(await redis.get(f"test:runs:{key}")) == runs
    assert celery_worker.process.poll() is None  # the worker itself carried on


async def test_a_whole_worker_killed_mid_task_leaves_the_job_to_the_next_worker(
        committed_db, servers, clean_redis, tmp_path, effects):
    # Nobody is left to requeue the job: the broker hands it out again after the visibility
    # timeout (shortened here from 30 minutes to 3 seconds).
    redis = get_redis()
    first = start_worker(servers, tmp_path / "first.log", MANCREL_BROKER_VISIBILITY_TIMEOUT="3")
    try:
        message = await enqueue_committed(committed_db, "tests.slow_record", key="power-cut", stall="before_commit")
        await eventually(lambda: redis.get("test:stalled:power-cut"))
        child = int(await redis.get("test:pid:power-cut"))
        os.kill(first.pid, signal.SIGKILL)  # the supervisor first, so it cannot requeue...
        os.kill(child, signal.SIGKILL)      # ...then the child, as a power cut takes both
        first.process.wait(timeout=10)
    finally:
        first.stop()

    second = start_worker(servers, tmp_path / "second.log", MANCREL_BROKER_VISIBILITY_TIMEOUT="3")
    try:
        await eventually(lambda: committed_db.scalar(
            select(TaskCompletion.task_id).where(TaskCompletion.task_id == str(message.id))), within=60)
        await eventually(lambda: broker_is_idle(redis))
    finally:
        second.kill()
    assert await effects("power-cut") == 1
    assert int(await redis.get("test:runs:power-cut")) == 2
