"""Sync health per source (the admin's page) and beat's refresh of the freshness gauge."""

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog import intake, refusals
from mancrel.catalog.freshness import freshness, freshness_lag
from mancrel.catalog.models import CatalogSource, EventStatus
from mancrel.catalog.repository import EventRepository, ProductRepository, SourceRepository
from mancrel.catalog.schemas import EventCounts, SourceHealth


async def source_health(session: AsyncSession, source: CatalogSource) -> SourceHealth:
    events = EventRepository(session)
    counts = await events.counts_last_hours(source.id, 24)
    behind = await freshness(session, source)
    return SourceHealth(
        source_id=source.id, name=source.name, enabled=source.enabled,
        last_webhook_at=await events.last_received(source.id), last_successful_poll_at=source.last_poll_at,
        last_poll_error=source.last_poll_error,
        events_24h=EventCounts(received=sum(counts.values()), processed=counts.get(EventStatus.processed, 0),
                               stale=counts.get(EventStatus.stale, 0), failed=counts.get(EventStatus.failed, 0),
                               pending=counts.get(EventStatus.pending, 0),
                               duplicate=await intake.duplicates_last_24h(source.id),
                               refused=await refusals.count_last_24h(source.id)),
        oldest_pending_event_at=await events.oldest_pending(source.id),
        freshness_lag_seconds=behind.lag_seconds, behind_because=behind.reason,
        live_products=await ProductRepository(session).count_live(source.id),
        last_reconciled_at=source.last_reconciled_at, last_reconcile_drift=source.last_reconcile_drift,
        last_reconcile_tombstoned=source.last_reconcile_tombstoned)


async def refresh_freshness(session: AsyncSession) -> dict[str, float]:
    """Recompute every enabled source's gauge (beat runs this every 15 s): the lag only, not
    the admin's health page, whose 24-hour counts and live-product count grow with traffic."""
    return {source.name: await freshness_lag(session, source)
            for source in await SourceRepository(session).list_all() if source.enabled}
