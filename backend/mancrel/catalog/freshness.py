"""How far behind its source the catalogue is, and the `mancrel_catalog_freshness_seconds{source}`
gauge. Apart from health.py so that readers of the figure (reply grounding, via matching.py)
import no more than the events' repository: health.py reaches the webhook intake and, through
it, the job machinery, which loads every task module.
"""

from prometheus_client import Gauge
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog.models import CatalogSource
from mancrel.catalog.repository import EventRepository
from mancrel.core.db import utcnow

# "mostrecent": in multiprocess mode the last process to compute it (beat's job or an
# admin's health read) wins, which is the freshest figure.
FRESHNESS = Gauge("mancrel_catalog_freshness_seconds",
                  "Seconds since the catalogue was last known in step with the source",
                  ["source"], multiprocess_mode="mostrecent")


async def freshness_lag(session: AsyncSession, source: CatalogSource) -> float | None:
    """Seconds since the catalogue was last known in step with the source (and the gauge set).

    Index reads whatever the number of events kept: the oldest pending one (the
    partial pending index) and the last processed one (ix_catalog_events_processed).
    """
    events = EventRepository(session)
    oldest_pending = await events.oldest_pending(source.id)
    if oldest_pending is not None:  # a backlog: we are as stale as its oldest event
        in_step_at = oldest_pending
    else:
        known = [t for t in (await events.last_processed(source.id), source.last_poll_at) if t is not None]
        in_step_at = max(known) if known else None
    lag = (utcnow() - in_step_at).total_seconds() if in_step_at else None
    if lag is not None:
        FRESHNESS.labels(source=source.name).set(lag)
    return lag
