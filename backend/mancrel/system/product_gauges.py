"""The product gauges that describe shared state, measured from the database when /metrics is
scraped: open and overdue escalations, channels failing, IMAP poll lag.

Read-only counts across the channel, reply and activity tables that no domain service has a use
case for, kept beside the one caller (as system/service.py measures the job tables). A counter
kept by the jobs would drift (a task closed by hand, a channel deleted); a query cannot.
"""

import logging

from sqlalchemy import Uuid, and_, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity.models import Activity
from mancrel.channel.models import Channel
from mancrel.core import product_metrics as metrics
from mancrel.core.db import unit_of_work, utcnow
from mancrel.reply.models import Suggestion, SuggestionAudit, SuggestionStatus

logger = logging.getLogger("mancrel.metrics")


async def escalation_counts(session: AsyncSession) -> tuple[int, int]:
    """(open, overdue): escalated suggestions whose task (named in the "escalated" audit row) is
    neither done nor deleted."""
    now = utcnow()
    task = and_(Activity.done_at.is_(None), Activity.deleted_at.is_(None))
    row = (await session.execute(
        select(func.count().filter(task), func.count().filter(task, Activity.due_at < now))
        .select_from(Suggestion)
        .join(SuggestionAudit, and_(SuggestionAudit.suggestion_id == Suggestion.id,
                                    SuggestionAudit.action == "escalated"))
        .join(Activity, Activity.id == cast(SuggestionAudit.data["task_id"].astext, Uuid))
        .where(Suggestion.status == SuggestionStatus.escalated))).one()
    return int(row[0] or 0), int(row[1] or 0)


def channel_failing(channel: Channel) -> bool:
    """Its last error is newer than its last success (mail received, mailbox polled). A send
    failure followed by mail coming in counts as recovered: the channel works again."""
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
