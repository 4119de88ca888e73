"""How far behind its source the catalogue is, and the `mancrel_catalog_freshness_seconds{source}`
gauge. Apart from health.py so that readers of the figure (reply grounding, via matching.py)
import no more than the repositories: health.py reaches the webhook intake and, through it, the
job machinery, which loads every task module (so does `deadletter.service`, hence its repository).

Behind means a change we know we lack, never a quiet shop: the lag is the age of the oldest of
- a delivery received but not applied yet (pending: the worker is slow or down);
- a sync job given up on and waiting in the dead letters (a malformed delivery, variations that
  could not be fetched), until it is replayed or discarded;
- a delivery refused for its signature since the last one accepted (refusals.py);
- for a polled source, its last successful poll, once polls fail or one is overdue (older than
  its interval and a minute's grace for beat's tick and the poll itself); a source never polled
  counts from what it was last loaded with;
- for a disabled source, the time it was last changed: nothing syncs it any more.
A webhook source with none of these is in step (0 s), however long since the shop changed anything.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from prometheus_client import Gauge
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog import refusals
from mancrel.catalog.models import CatalogSource
from mancrel.catalog.repository import EventRepository, ProductRepository
from mancrel.core.db import utcnow
from mancrel.deadletter.repository import DeadLetterRepository

logger = logging.getLogger("mancrel.catalog.freshness")

# "mostrecent": in multiprocess mode the last process to compute it (beat's job or an
# admin's health read) wins, which is the freshest figure.
FRESHNESS = Gauge("mancrel_catalog_freshness_seconds",
                  "Seconds the catalogue is behind its source: the age of the oldest change known to be missing",
                  ["source"], multiprocess_mode="mostrecent")
POLL_GRACE = timedelta(seconds=60)
SOURCE_JOBS = ("catalog.drain_events", "catalog.poll_source", "catalog.reconcile_source",
               "catalog.refresh_products")


@dataclass(frozen=True)
class Freshness:
    lag_seconds: float
    reasons: list[str]  # why, oldest first; empty when in step

    @property
    def reason(self) -> str | None:
        return "; ".join(self.reasons) or None


async def freshness(session: AsyncSession, source: CatalogSource) -> Freshness:
    """The source's lag and why (and the gauge set)."""
    now = utcnow()
    behind = await _missing(session, source, now)
    behind.sort(key=lambda item: item[0])
    lag = max((now - behind[0][0]).total_seconds(), 0.0) if behind else 0.0
    FRESHNESS.labels(source=source.name).set(lag)
    return Freshness(lag_seconds=lag, reasons=[reason for _, reason in behind])


async def freshness_lag(session: AsyncSession, source: CatalogSource) -> float:
    """Seconds the catalogue is behind the source: 0 when nothing is known to be missing."""
    return (await freshness(session, source)).lag_seconds


async def _missing(session: AsyncSession, source: CatalogSource, now: datetime) -> list[tuple[datetime, str]]:
    """(since when, why) for each thing that says we lack a change from the source."""
    events = EventRepository(session)
    found: list[tuple[datetime, str]] = []
    if not source.enabled:
        found.append((source.updated_at, "the source is disabled: nothing is synced from it"))
    pending = await events.oldest_pending(source.id)
    if pending is not None:
        found.append((pending, "deliveries received and not applied yet (is the worker running?)"))
    dead = await _oldest_dead_letter(session, source)
    if dead is not None:
        found.append((dead, "a delivery or sync job failed for good: replay or discard it under Dead letters"))
    refused = await _refused_since(source, await events.last_received(source.id))
    if refused is not None:
        found.append((refused, "deliveries are refused: their signature does not verify (check the webhook secret)"))
    if source.poll_url and source.enabled:
        found += await _poll_behind(session, source, now)
    return found


async def _oldest_dead_letter(session: AsyncSession, source: CatalogSource) -> datetime | None:
    letters = DeadLetterRepository(session)
    failed_events = EventRepository(session).failed_ids(source.id)
    times = [await letters.oldest_pending(("catalog.process_event",), kwarg="event_id", values=failed_events),
             await letters.oldest_pending(SOURCE_JOBS, kwarg="source_id", values=[str(source.id)])]
    return min((t for t in times if t is not None), default=None)


async def _refused_since(source: CatalogSource, accepted_at: datetime | None) -> datetime | None:
    try:
        return await refusals.first_since(source.id, accepted_at)
    except Exception:  # Valkey unreachable: the figure goes on without what only it knows
        logger.warning("could not read refused deliveries", exc_info=True)
        return None


async def _poll_behind(session: AsyncSession, source: CatalogSource, now: datetime) -> list[tuple[datetime, str]]:
    last_ok = source.last_poll_at or await ProductRepository(session).freshest_update(source.id) \
        or source.created_at
    if source.poll_failures:
        error = (source.last_poll_error or "").splitlines()[0][:200] if source.last_poll_error else "unknown error"
        return [(last_ok, f"polls are failing ({source.poll_failures} in a row): {error}")]
    interval = timedelta(seconds=source.poll_interval_seconds)
    if now - last_ok > interval + POLL_GRACE:
        return [(last_ok, f"no successful poll for {int((now - last_ok).total_seconds())} s "
                          f"(polled every {source.poll_interval_seconds} s)")]
    return []
