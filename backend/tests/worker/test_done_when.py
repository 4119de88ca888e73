"""A job's `done_when` pre-check (worker/task.py): a job whose work a committed transaction already
did for good returns as skipped and writes nothing, not even its completion row, however often the
broker delivers it; while the check says no, the completion row decides as before."""

import uuid

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.worker.models import TaskCompletion
from mancrel.worker.task import ALREADY_DONE, run_job


async def _record(session: AsyncSession, key: str) -> str:
    await session.execute(text("INSERT INTO worker_test_effects (key) VALUES (:key)"), {"key": key})
    return "recorded"


async def _recorded(session: AsyncSession, key: str) -> bool:
    return bool(await session.scalar(text("SELECT EXISTS (SELECT 1 FROM worker_test_effects WHERE key = :key)"),
                                     {"key": key}))


async def _never(session: AsyncSession, key: str) -> bool:
    return False


async def _completed(engine, task_id: str) -> bool:
    async with AsyncSession(engine) as session:
        return await session.scalar(select(TaskCompletion.task_id).where(TaskCompletion.task_id == task_id)) is not None


async def _run(task_id: str, key: str, done_when) -> object:
    return await run_job(_record, {"key": key}, task_id=task_id, task_name="tests.inline_record", done_when=done_when)


async def test_a_job_whose_work_is_done_skips_writing_nothing_and_skips_again_when_redelivered(
        engine, committed_db, effects):
    await _record(committed_db, "done-before")  # the work, committed by someone else (a batch)
    await committed_db.commit()
    task_id = str(uuid.uuid4())

    assert await _run(task_id, "done-before", _recorded) is ALREADY_DONE
    assert await _run(task_id, "done-before", _recorded) is ALREADY_DONE  # the broker's redelivery

    assert await effects("done-before") == 1
    assert not await _completed(engine, task_id)


async def test_a_job_not_done_yet_runs_once_and_its_redelivery_is_stopped_by_the_claim(engine, committed_db, effects):
    task_id = str(uuid.uuid4())

    assert await _run(task_id, "fresh", _never) == "recorded"
    assert await _run(task_id, "fresh", _never) is ALREADY_DONE  # the pre-check says no: the claim holds

    assert await effects("fresh") == 1
    assert await _completed(engine, task_id)
