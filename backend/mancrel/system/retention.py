"""Retention: beat's hourly `system.prune` deletes rows that are finished with and old, so the
tables that grow with traffic stay bounded.

What goes, after the days set in MANCREL_RETENTION_* (core/config.py):
- catalogue events processed or stale (the newest of each source stays: the freshness figure
  reads its time),
- inbound mail deliveries processed (their raw bodies are the bulk),
- outbox jobs published,
- task-completion markers (a broker redelivers within its visibility timeout, long before).
Pending and failed rows stay whatever their age: they are work not done, or an admin's to see.

Deleting an old delivery's row forgets its dedupe key; a provider re-sending it a month later is
still harmless: the inbox finds the message by its Message-ID, and the catalogue upsert never lets
an older version overwrite a newer one.

Each statement deletes at most `retention_batch_rows` rows and commits, so no transaction holds
locks on a busy table for long and a large first run (a backlog of months) proceeds in steps.
The rows found are the oldest, at the start of the heap, so the scans end early.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, Table, and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog.models import CatalogEvent, EventStatus
from mancrel.channel.models import InboundEvent, InboundStatus
from mancrel.core.config import get_settings
from mancrel.core.db import unit_of_work, utcnow
from mancrel.worker.app import BEAT_SCHEDULE
from mancrel.worker.models import OutboxMessage, TaskCompletion
from mancrel.worker.task import job

logger = logging.getLogger("mancrel.retention")

# A run stops starting batches after this long; the next hour's run continues.
RUN_BUDGET_SECONDS = 300
DONE_CATALOG = (EventStatus.processed, EventStatus.stale)


@dataclass(frozen=True)
class Rule:
    name: str
    table: Table
    key: ColumnElement
    condition: ColumnElement  # finished AND older than the cutoff


def rules(days: dict[str, int]) -> list[Rule]:
    """The rules in force: a period of 0 days keeps that table's rows forever."""
    now = utcnow()

    def before(name: str) -> object:
        return now - timedelta(days=days[name])

    # The newest finished event of each source is kept (catalog/freshness.py reads its time):
    # a row goes only when a newer finished one exists, an index probe of ix_catalog_events_processed.
    newer = CatalogEvent.__table__.alias("newer")
    has_newer = (select(newer.c.id).where(newer.c.source_id == CatalogEvent.source_id,
                                          newer.c.status.in_(DONE_CATALOG),
                                          newer.c.processed_at > CatalogEvent.processed_at).exists())
    candidates = [
        Rule("catalog_events", CatalogEvent.__table__, CatalogEvent.id, and_(
            CatalogEvent.status.in_(DONE_CATALOG), CatalogEvent.processed_at < before("catalog_events"),
            has_newer)) if days["catalog_events"] else None,
        Rule("inbound_events", InboundEvent.__table__, InboundEvent.id, and_(
            InboundEvent.status == InboundStatus.processed,
            InboundEvent.processed_at < before("inbound_events"))) if days["inbound_events"] else None,
        Rule("outbox_messages", OutboxMessage.__table__, OutboxMessage.id, and_(
            OutboxMessage.published_at.is_not(None), OutboxMessage.published_at < before("outbox_messages"),
        )) if days["outbox_messages"] else None,
        Rule("task_completions", TaskCompletion.__table__, TaskCompletion.task_id,
             TaskCompletion.completed_at < before("task_completions")) if days["task_completions"] else None,
    ]
    return [rule for rule in candidates if rule is not None]


def configured_days() -> dict[str, int]:
    settings = get_settings()
    return {"catalog_events": settings.retention_catalog_events_days,
            "inbound_events": settings.retention_inbound_events_days,
            "outbox_messages": settings.retention_outbox_days,
            "task_completions": settings.retention_task_completions_days}


async def _delete_batch(session: AsyncSession, rule: Rule, batch: int) -> int:
    # correlate(None): the rows are chosen on their own, not matched against the DELETE's target.
    chosen = select(rule.key).where(rule.condition).limit(batch).correlate(None).scalar_subquery()
    result = await session.execute(delete(rule.table).where(rule.key.in_(chosen)))
    return result.rowcount or 0


async def prune(*, days: dict[str, int] | None = None, batch: int | None = None,
                budget_seconds: float = RUN_BUDGET_SECONDS) -> dict[str, int]:
    """Delete what the rules allow, a committed batch at a time; rows deleted per table."""
    batch = batch or get_settings().retention_batch_rows
    deadline = time.monotonic() + budget_seconds
    deleted: dict[str, int] = {}
    for rule in rules(days or configured_days()):
        deleted[rule.name] = 0
        while time.monotonic() < deadline:
            async with unit_of_work() as session:
                count = await _delete_batch(session, rule, batch)
            deleted[rule.name] += count
            if count < batch:
                break
    if any(deleted.values()):
        logger.info("retention pruned old rows", extra={"deleted": deleted})
    return deleted


# Periodic and idempotent: the next run is the retry; batches commit on their own sessions.
@job("system.prune", once=False, max_retries=0, dead_letter=False)
async def prune_old_rows(session: AsyncSession) -> dict[str, int]:
    return await prune()


BEAT_SCHEDULE["retention-prune"] = {"task": "system.prune", "schedule": 3600.0}
