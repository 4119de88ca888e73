"""Retention (system/retention.py): old finished rows go, in batches; recent ones, unfinished ones
and each source's newest event stay."""

import uuid
from datetime import timedelta

from sqlalchemy import select

from mancrel.catalog.models import CatalogEvent
from mancrel.channel.models import InboundEvent
from mancrel.core.db import utcnow
from mancrel.system import retention
from mancrel.worker.app import BEAT_SCHEDULE, load_task_modules
from mancrel.worker.models import OutboxMessage, TaskCompletion
from tests.catalog.factories import make_source
from tests.channel.factories import make_channel

DAYS = {"catalog_events": 30, "inbound_events": 30, "outbox_messages": 7, "task_completions": 7}


def _catalog_event(source_id, name: str, status: str, processed_days_ago: float | None) -> CatalogEvent:
    processed = utcnow() - timedelta(days=processed_days_ago) if processed_days_ago is not None else None
    return CatalogEvent(id=uuid.uuid4(), source_id=source_id, delivery_id=name, topic="product.updated", body=b"{}",
                        status=status, processed_at=processed, external_id=name,
                        received_at=processed or utcnow() - timedelta(days=90))


def _inbound(channel_id, name: str, status: str, processed_days_ago: float | None) -> InboundEvent:
    processed = utcnow() - timedelta(days=processed_days_ago) if processed_days_ago is not None else None
    return InboundEvent(id=uuid.uuid4(), channel_id=channel_id, dedupe_key=name, provider="mailgun", body=b"mail",
                        status=status, processed_at=processed, received_at=processed or utcnow() - timedelta(days=90))


async def _names(session, column, key) -> set[str]:
    return set(await session.scalars(select(column).where(key)))


async def test_prune_deletes_only_old_finished_rows_in_batches(committed_db):
    session = committed_db
    source, quiet_source = await make_source(session), await make_source(session)
    channel = await make_channel(session)
    session.add_all([
        _catalog_event(source.id, "old-processed-1", "processed", 40),
        _catalog_event(source.id, "old-processed-2", "processed", 41),
        _catalog_event(source.id, "old-stale", "stale", 45),
        _catalog_event(source.id, "old-failed", "failed", 60),      # an admin's to look at
        _catalog_event(source.id, "old-pending", "pending", None),  # work not done
        _catalog_event(source.id, "recent", "processed", 2),
        # A source quiet for months: its newest event dates its freshness, so it stays.
        _catalog_event(quiet_source.id, "quiet-older", "processed", 100),
        _catalog_event(quiet_source.id, "quiet-newest", "processed", 90),
        _inbound(channel.id, "old-mail-1", "processed", 31),
        _inbound(channel.id, "old-mail-2", "processed", 35),
        _inbound(channel.id, "old-mail-3", "processed", 36),
        _inbound(channel.id, "old-failed-mail", "failed", None),
        _inbound(channel.id, "old-pending-mail", "pending", None),
        _inbound(channel.id, "recent-mail", "processed", 1),
        OutboxMessage(task_name="old-published", kwargs={}, created_at=utcnow() - timedelta(days=9),
                      published_at=utcnow() - timedelta(days=8)),
        OutboxMessage(task_name="old-unpublished", kwargs={}, created_at=utcnow() - timedelta(days=9)),
        OutboxMessage(task_name="recent-published", kwargs={}, published_at=utcnow() - timedelta(hours=1)),
        TaskCompletion(task_id="old-marker", task_name="t", completed_at=utcnow() - timedelta(days=8)),
        TaskCompletion(task_id="recent-marker", task_name="t", completed_at=utcnow() - timedelta(days=1)),
    ])
    await session.commit()

    # Batches of 2: three old mails need two statements; each batch commits by itself.
    deleted = await retention.prune(days=DAYS, batch=2)

    assert deleted == {"catalog_events": 4, "inbound_events": 3, "outbox_messages": 1, "task_completions": 1}
    sources = CatalogEvent.source_id.in_([source.id, quiet_source.id])
    assert await _names(session, CatalogEvent.delivery_id, sources) == {
        "old-failed", "old-pending", "recent", "quiet-newest"}
    assert await _names(session, InboundEvent.dedupe_key, InboundEvent.channel_id == channel.id) == {
        "old-failed-mail", "old-pending-mail", "recent-mail"}
    outbox = OutboxMessage.task_name.in_(["old-published", "old-unpublished", "recent-published"])
    assert await _names(session, OutboxMessage.task_name, outbox) == {"old-unpublished", "recent-published"}
    markers = TaskCompletion.task_id.in_(["old-marker", "recent-marker"])
    assert await _names(session, TaskCompletion.task_id, markers) == {"recent-marker"}

    # Nothing left to do: a second run deletes nothing.
    assert await retention.prune(days=DAYS, batch=2) == dict.fromkeys(DAYS, 0)


async def test_a_zero_period_keeps_that_table_forever(committed_db):
    channel = await make_channel(committed_db)
    committed_db.add(_inbound(channel.id, "ancient-mail", "processed", 3000))
    await committed_db.commit()
    deleted = await retention.prune(days=DAYS | {"inbound_events": 0}, batch=10)
    assert "inbound_events" not in deleted
    assert await _names(committed_db, InboundEvent.dedupe_key, InboundEvent.channel_id == channel.id) == {
        "ancient-mail"}


def test_beat_runs_the_retention_job_hourly():
    load_task_modules()
    assert BEAT_SCHEDULE["retention-prune"] == {"task": "system.prune", "schedule": 3600.0}
    assert "prune-task-completions" not in BEAT_SCHEDULE  # the job above took its place
