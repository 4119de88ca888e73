"""Catalogue jobs and their beat schedule."""

import uuid

from mancrel.catalog import health, sync
from mancrel.worker.app import BEAT_SCHEDULE
from mancrel.worker.task import AsyncSession, job


@job("catalog.process_event")
async def process_event(session: AsyncSession, event_id: uuid.UUID) -> str:
    return await sync.process_event(session, event_id)


@job("catalog.poll_source")
async def poll_source(session: AsyncSession, source_id: uuid.UUID) -> dict | None:
    result = await sync.poll(session, source_id)
    return result.model_dump() if result else None


@job("catalog.reconcile_source")
async def reconcile_source(session: AsyncSession, source_id: uuid.UUID) -> dict | None:
    result = await sync.poll(session, source_id, full=True)
    return result.model_dump() if result else None


@job("catalog.schedule_polls")
async def schedule_polls(session: AsyncSession) -> dict[str, int]:
    return await sync.schedule_due(session)


@job("catalog.refresh_freshness")
async def refresh_freshness(session: AsyncSession) -> dict[str, float | None]:
    return await health.refresh_freshness(session)


BEAT_SCHEDULE["catalog-schedule-polls"] = {"task": "catalog.schedule_polls", "schedule": 30.0}
BEAT_SCHEDULE["catalog-refresh-freshness"] = {"task": "catalog.refresh_freshness", "schedule": 15.0}
