"""Publishing after the caller answered (`write_jobs` + `publish_soon`), with a real worker."""

from sqlalchemy import select

from mancrel.core.redis import get_redis
from mancrel.worker.models import OutboxMessage
from mancrel.worker.outbox import RELAY_GRACE, publish_soon, published_soon, write_jobs
from tests.worker.helpers import broker_is_idle, eventually


async def _rows(session, ids) -> list[OutboxMessage]:
    rows = list(await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                      .execution_options(populate_existing=True)))
    await session.commit()
    return rows


async def test_jobs_written_then_published_in_the_background_run_once_each(committed_db, celery_worker, effects):
    messages = await write_jobs(committed_db, [("tests.record", {"key": "bg-a"}), ("tests.record", {"key": "bg-b"})])
    await committed_db.commit()
    assert all(row.published_at is None for row in await _rows(committed_db, [m.id for m in messages]))

    publish_soon(messages)
    await published_soon()

    assert all(row.published_at is not None for row in await _rows(committed_db, [m.id for m in messages]))
    await eventually(lambda: effects("bg-b"))
    assert (await effects("bg-a"), await effects("bg-b")) == (1, 1)


async def test_coalescing_sends_one_job_for_identical_committed_ones_and_marks_them_all(
        committed_db, celery_worker, effects):
    same = [("tests.record", {"key": "drain-like"})] * 3
    messages = await write_jobs(committed_db, [*same, ("tests.record", {"key": "other"})])
    await committed_db.commit()

    publish_soon(messages, coalesce=True)
    await published_soon()

    assert all(row.published_at is not None for row in await _rows(committed_db, [m.id for m in messages]))
    await eventually(lambda: effects("other"))
    # A second "drain-like" would have been sent in the same round, before "other": once the
    # broker holds nothing, it would have run.
    await eventually(lambda: broker_is_idle(get_redis()))
    assert (await effects("drain-like"), await effects("other")) == (1, 1)


async def test_without_coalescing_identical_jobs_each_run(committed_db, celery_worker, effects):
    messages = await write_jobs(committed_db, [("tests.record", {"key": "twice"})] * 2)
    await committed_db.commit()

    publish_soon(messages)

    await eventually(lambda: _equals(effects("twice"), 2))


async def _equals(count, expected: int) -> bool:
    return await count == expected



async def test_published_jobs_are_marked_by_the_publisher_itself_before_the_relay_would_take_them(
        committed_db, celery_worker, effects):
    # The marks of a round wait a moment to share one transaction with later rounds' (MARK_INTERVAL),
    # but land without anyone draining the publisher: the relay must not send these jobs again.
    messages = await write_jobs(committed_db, [("tests.record", {"key": key}) for key in ("mark-a", "mark-b")])
    await committed_db.commit()
    publish_soon(messages[:1])
    publish_soon(messages[1:])

    await eventually(lambda: _all_marked(committed_db, [m.id for m in messages]), within=RELAY_GRACE.seconds)
    await eventually(lambda: effects("mark-b"))
    assert (await effects("mark-a"), await effects("mark-b")) == (1, 1)


async def _all_marked(session, ids) -> bool:
    return all(row.published_at is not None for row in await _rows(session, ids))
