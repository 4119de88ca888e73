"""The catalogue's group commit (worker/group_commit.py): concurrent deliveries share one
transaction of one multi-row `INSERT ... ON CONFLICT DO NOTHING RETURNING` for the events
and one outbox row per source (a `catalog.drain_events` job). The drains are published
coalesced: one per source and publish round is enough, as a drain takes whatever is pending.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog.exceptions import DeliveryNotStored
from mancrel.catalog.repository import EventRepository, SourceRepository
from mancrel.worker.group_commit import Connect, GroupCommitBatcher
from mancrel.worker.models import OutboxMessage
from mancrel.worker.outbox import write_jobs

__all__ = ["Connect", "Delivery", "DeliveryBatcher", "Outcome"]


@dataclass(frozen=True, slots=True)
class Delivery:
    id: uuid.UUID  # the event's id, if it turns out to be new
    source_id: uuid.UUID
    delivery_id: str
    topic: str | None
    body: bytes
    triggered_at: datetime | None
    received_at: datetime


class Outcome(StrEnum):
    stored = "stored"
    duplicate = "duplicate"  # (source, delivery id) was already stored: acknowledged, not processed again
    source_gone = "source_gone"  # the source was deleted since it was cached


class DeliveryBatcher(GroupCommitBatcher[Delivery, Outcome]):
    coalesce_jobs = True  # drains: one per source and round is enough

    def not_stored(self) -> Exception:
        return DeliveryNotStored()

    async def write(self, session: AsyncSession,
                    deliveries: list[Delivery]) -> tuple[dict[uuid.UUID, Outcome], list[OutboxMessage]]:
        """The new events, then one drain job per source that got any."""
        new_ids = await EventRepository(session).insert_batch(deliveries)
        sources_with_new = dict.fromkeys(d.source_id for d in deliveries if d.id in new_ids)
        jobs = await write_jobs(session, [("catalog.drain_events", {"source_id": source_id})
                                          for source_id in sources_with_new])
        not_new = {d.source_id for d in deliveries if d.id not in new_ids}
        live = await SourceRepository(session).existing_ids(not_new) if not_new else set()
        outcomes = {d.id: Outcome.stored if d.id in new_ids else
                    Outcome.duplicate if d.source_id in live else Outcome.source_gone for d in deliveries}
        return outcomes, jobs
