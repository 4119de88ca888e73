"""Catalogue jobs and their beat schedule.

The use cases are imported inside each job: Celery imports this module while it loads
its configuration, which can happen in the middle of importing the catalogue itself.
"""

import uuid

from mancrel.worker.app import BEAT_SCHEDULE
from mancrel.worker.task import AsyncSession, job


# One stored event: dead letters and replays of malformed events (drains handle the rest).
@job("catalog.process_event")
async def process_event(session: AsyncSession, event_id: uuid.UUID) -> str:
    from mancrel.catalog import sync

    return await sync.process_event(session, event_id)


@job("catalog.drain_events")
async def drain_events(session: AsyncSession, source_id: uuid.UUID) -> dict[str, int]:
    from mancrel.catalog import sync

    return await sync.drain_events(session, source_id)


@job("catalog.poll_source")
async def poll_source(session: AsyncSession, source_id: uuid.UUID) -> dict | None:
    from mancrel.catalog import sync

    result = await sync.poll(session, source_id)
    return result.model_dump() if result else None


@job("catalog.reconcile_source")
async def reconcile_source(session: AsyncSession, source_id: uuid.UUID) -> dict | None:
    from mancrel.catalog import sync

    result = await sync.poll(session, source_id, full=True)
    return result.model_dump() if result else None


# A webhook's variable products, fetched with their variations (the payload has none).
@job("catalog.refresh_products")
async def refresh_products(session: AsyncSession, source_id: uuid.UUID, external_ids: list[str]) -> dict[str, int]:
    from mancrel.catalog import sync

    return await sync.refresh_products(session, source_id, external_ids)


@job("catalog.schedule_polls", once=False, max_retries=0, dead_letter=False)
async def schedule_polls(session: AsyncSession) -> dict[str, int]:
    from mancrel.catalog import sync

    return await sync.schedule_due(session)


@job("catalog.refresh_freshness", once=False, max_retries=0, dead_letter=False)
async def refresh_freshness(session: AsyncSession) -> dict[str, float | None]:
    from mancrel.catalog import health

    return await health.refresh_freshness(session)


BEAT_SCHEDULE["catalog-schedule-polls"] = {"task": "catalog.schedule_polls", "schedule": 30.0}
BEAT_SCHEDULE["catalog-refresh-freshness"] = {"task": "catalog.refresh_freshness", "schedule": 15.0}
