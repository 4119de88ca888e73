"""A channel's health: when mail last came in or was polled, the last error, and the traffic of the
last 24 hours. The message counts read the inbox's `messages` table directly: a read-only count
that the inbox's service has no use case for, kept here beside the one screen that shows it."""

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel.models import RETRY_REASON, Channel
from mancrel.channel.repository import InboundEventRepository
from mancrel.channel.schemas import ChannelHealth
from mancrel.core.db import utcnow
from mancrel.inbox.models import DeliveryStatus, Direction, Message


async def _message_counts(session: AsyncSession, channel: Channel, since) -> dict[str, int]:
    recent = Message.created_at >= since
    outbound = Message.direction == Direction.outbound
    row = (await session.execute(select(
        func.count().filter(recent, Message.direction == Direction.inbound),
        func.count().filter(recent, outbound),
        func.count().filter(outbound, Message.status.in_([DeliveryStatus.queued, DeliveryStatus.sending])),
        func.count().filter(outbound, Message.status == DeliveryStatus.failed, recent),
        func.count().filter(outbound, Message.status == DeliveryStatus.queued,
                            Message.failure_reason.startswith(RETRY_REASON)),
    ).where(Message.channel_id == channel.id))).one()
    return dict(zip(("in", "out", "queued", "failed", "retrying"), (int(v or 0) for v in row), strict=True))


async def channel_health(session: AsyncSession, channel: Channel) -> ChannelHealth:
    since = utcnow() - timedelta(hours=24)
    counts = await _message_counts(session, channel, since)
    return ChannelHealth(
        channel_id=channel.id, enabled=channel.enabled, last_received_at=channel.last_received_at,
        last_polled_at=channel.last_polled_at, last_error=channel.last_error, last_error_at=channel.last_error_at,
        messages_in_24h=counts["in"], messages_out_24h=counts["out"], outbound_queued=counts["queued"],
        outbound_failed=counts["failed"], outbound_retrying=counts["retrying"],
        inbound_failed=await InboundEventRepository(session).count_failed_since(channel.id, since),
        token_error=channel.token_error, token_error_at=channel.token_error_at)
