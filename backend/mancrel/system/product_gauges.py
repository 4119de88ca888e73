"""The product gauges that describe shared state, measured from the database when /metrics is
scraped: open and overdue escalations, channels failing, IMAP poll lag.

Read-only counts across the channel, reply and activity tables that no domain service has a use
case for, kept beside the one caller (as system/service.py measures the job tables). A counter
kept by the jobs would drift (a task closed by hand, a channel deleted); a query cannot.
"""

import logging

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity.models import Activity
from mancrel.channel.models import SEND_ERROR_PREFIX, Channel
from mancrel.core import product_metrics as metrics
from mancrel.core.db import unit_of_work, utcnow
from mancrel.reply.models import Escalation

logger = logging.getLogger("mancrel.metrics")


async def escalation_counts(session: AsyncSession) -> tuple[int, int]:
    """(open, overdue). Open: an escalation whose task is neither done nor deleted. Overdue: open
    and it missed a deadline, whether past due now or already re-routed for it (the beat job
    re-routes an overdue escalation within a minute and gives it a new due time, so "past due
    now" alone would hide a customer who has waited through two deadlines)."""
    now = utcnow()
    task_open = and_(Activity.done_at.is_(None), Activity.deleted_at.is_(None))
    row = (await session.execute(
        select(func.count().filter(task_open),
               func.count().filter(task_open, or_(Escalation.reroutes > 0, Activity.due_at < now)))
        .select_from(Escalation).join(Activity, Activity.id == Escalation.task_id)
        .where(Escalation.resolved_at.is_(None)))).one()
    return int(row[0] or 0), int(row[1] or 0)


def channel_failing(channel: Channel) -> bool:
    """Its last error is newer than its last success (mail received, mailbox polled). A send error
    (failed, being retried, dead-lettered) stands until a send works, which clears it: mail coming
    in says nothing about replies going out."""
    if channel.last_error is not None and channel.last_error.startswith(SEND_ERROR_PREFIX):
        return True
    successes = [t for t in (channel.last_received_at, channel.last_polled_at) if t is not None]
    return channel.last_error_at is not None and channel.last_error is not None and (
        not successes or channel.last_error_at > max(successes))


async def measure_channels(session: AsyncSession) -> None:
    now = utcnow()
    for channel in await session.scalars(select(Channel).where(Channel.enabled.is_(True))):
        metrics.CHANNEL_FAILING.labels(channel.name, channel.kind).set(1 if channel_failing(channel) else 0)
        if (channel.settings or {}).get("inbound") == "imap":
            polled = channel.last_polled_at or channel.created_at
            metrics.IMAP_POLL_LAG.labels(channel.name).set(max(0.0, (now - polled).total_seconds()))


async def refresh_product_gauges() -> None:
    """Called by /metrics before rendering; a database that is down leaves the last values."""
    try:
        async with unit_of_work() as session:
            open_, overdue = await escalation_counts(session)
            metrics.ESCALATIONS_OPEN.set(open_)
            metrics.ESCALATIONS_OVERDUE.set(overdue)
            await measure_channels(session)
    except Exception:
        logger.warning("product gauges not measured", exc_info=True)
