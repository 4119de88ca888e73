"""Channel jobs: read a stored delivery into the inbox, poll IMAP mailboxes, send replies by SMTP.
The Meta channels' own jobs (media, profiles, sending through the Graph API) are in meta_tasks.py."""

import logging
import uuid

from celery import current_task
from redis.exceptions import LockError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel import imap, ingest, smtp
from mancrel.channel.models import RETRY_REASON, Channel
from mancrel.channel.repository import ChannelRepository
from mancrel.channel.service import secrets_of
from mancrel.core import product_metrics
from mancrel.core.db import unit_of_work
from mancrel.core.redis import get_redis
from mancrel.inbox import service as inbox_service
from mancrel.inbox.delivery_failure import GAVE_UP, UNCERTAIN
from mancrel.inbox.models import DeliveryStatus
from mancrel.worker.app import BEAT_SCHEDULE
from mancrel.worker.errors import PermanentError, TransientError
from mancrel.worker.outbox import enqueue
from mancrel.worker.task import job

logger = logging.getLogger("mancrel.channel")

POLL_LOCK_SECONDS = 300      # longer than any poll; a crashed poller's lock expires by itself
REFUSED_MARK_SECONDS = 86400
SEND_RETRIES = 8  # with a 5 s base, about an hour of a server refusing for now (4xx) or unreachable
# Starts with delivery_failure.UNCERTAIN: a person resending it is asked to confirm (inbox/resend.py).
SEND_UNCERTAIN = (f"{UNCERTAIN}: the attempt was interrupted after the mail was handed to the server and "
             "before it answered, so it is not sent again automatically; check with the customer before resending")


async def _record_health(channel_id: uuid.UUID, **values) -> None:
    """In its own transaction: the job's own rolls back when it fails, the error must stay."""
    async with unit_of_work() as session:
        await ChannelRepository(session).record_health(channel_id, **values)


# --- inbound ---------------------------------------------------------------------------------
@job("channel.ingest_event", done_when=ingest.already_ingested)
async def ingest_event(session: AsyncSession, event_id: uuid.UUID) -> str:
    """Read the stored delivery with its provider's adapter and hand it to the inbox, together with
    whatever other deliveries wait (see ingest.py)."""
    return await ingest.ingest(session, event_id)


# --- IMAP ----------------------------------------------------------------------------------
@job("channel.poll_imap_due", once=False, max_retries=0, dead_letter=False)
async def poll_imap_due(session: AsyncSession) -> int:
    """Queue a poll of every IMAP channel whose poll interval has elapsed."""
    queued = 0
    redis = get_redis()
    for channel in await ChannelRepository(session).imap_channels():
        interval = int((channel.settings.get("imap") or {}).get("poll_interval_seconds", 60))
        # The key lives for the interval: while it exists the channel is not due again.
        if await redis.set(f"channel:imap:due:{channel.id}", "1", nx=True, ex=max(1, interval)):
            enqueue(session, "channel.poll_imap", channel_id=channel.id)
            queued += 1
    return queued


@job("channel.poll_imap", once=False, max_retries=4, retry_base=5.0, retry_max=120.0, dead_letter=False)
async def poll_imap(session: AsyncSession, channel_id: uuid.UUID) -> int:
    """One poll of the channel's mailbox; one at a time per channel (a Redis lock)."""
    channel = await session.get(Channel, channel_id)
    if channel is None or not channel.enabled or (channel.settings or {}).get("inbound") != "imap":
        return 0
    account = imap.ImapAccount.of(channel.settings, secrets_of(channel))
    lock = get_redis().lock(f"channel:imap:lock:{channel_id}", timeout=POLL_LOCK_SECONDS)
    if not await lock.acquire(blocking=False):
        return 0  # another worker is polling this mailbox right now
    try:
        stored = await imap.poll(channel_id, account)
    except Exception as exc:
        await _record_health(channel_id, polled=False, error=f"IMAP poll failed: {exc}")
        raise
    finally:
        try:
            await lock.release()
        except LockError:  # expired meanwhile: nothing to release
            logger.warning("IMAP poll lock expired before the poll ended", extra={"channel_id": str(channel_id)})
    await _record_health(channel_id, polled=True, received=stored > 0, clear_error=True)
    return stored


BEAT_SCHEDULE["channel-imap-polls"] = {"task": "channel.poll_imap_due", "schedule": 5.0}


# --- SMTP ----------------------------------------------------------------------------------
def _refused_key(message_id: uuid.UUID) -> str:
    return f"email:refused-at-data:{message_id}"


async def _send_allowed(session: AsyncSession, outbound) -> bool:
    """Whether this run may send. A message found `sending` was handed to the server by an earlier
    run that never recorded the answer (a worker killed mid-send, or before its commit): it may have
    been delivered, so it is marked failed as uncertain and NOT sent again (never twice beats
    maybe twice; a rep sees the reason and decides). The one exception: that earlier run saw the
    server refuse the DATA with a 4xx and left a mark saying so."""
    if outbound.status == DeliveryStatus.queued:
        return True
    if outbound.status == DeliveryStatus.failed and (outbound.failure_reason or "").startswith(GAVE_UP):
        return True  # replayed from the dead letters after the server kept refusing for now: try again
    if outbound.status != DeliveryStatus.sending:
        return False  # sent or failed already
    if await get_redis().get(_refused_key(outbound.message_id)):
        return True
    await inbox_service.mark_failed(session, outbound.message_id, SEND_UNCERTAIN)
    await ChannelRepository(session).record_health(outbound.channel_id, error=f"sending failed: {SEND_UNCERTAIN}")
    return False


async def _finish(message_id: uuid.UUID, channel_id: uuid.UUID, *, failure: str | None = None) -> None:
    product_metrics.outbound("email", sent=failure is None)  # send_message is the email channel's
    async with unit_of_work() as session:
        if failure is None:
            await inbox_service.mark_sent(session, message_id)
            await ChannelRepository(session).record_health(channel_id, clear_send_error=True)
        else:
            await inbox_service.mark_failed(session, message_id, failure)
            await ChannelRepository(session).record_health(channel_id, error=f"sending failed: {failure}")


async def _retry_later(message_id: uuid.UUID, channel_id: uuid.UUID, reason: str) -> None:
    """Back in the queue with the reason on the message (the thread shows "Retrying: ...") and on the
    channel's health, which warns until a send works."""
    async with unit_of_work() as session:
        await inbox_service.mark_queued(session, message_id, f"{RETRY_REASON}: {reason}")
        await ChannelRepository(session).record_health(channel_id, error=f"sending is being retried: {reason}")


def _retries_spent() -> bool:
    """Whether this run is the job's last (its retries are used up); False outside a worker."""
    request = getattr(current_task, "request", None)
    return request is not None and (request.retries or 0) >= SEND_RETRIES


@job("email.send_message", max_retries=SEND_RETRIES, retry_base=5.0, retry_max=900.0)
async def send_message(session: AsyncSession, message_id: uuid.UUID) -> str:
    """Send a queued reply through its channel's SMTP server; the server's acceptance is the commit point."""
    async with unit_of_work() as check:
        outbound = await inbox_service.outbound_email(check, message_id)
        if outbound is None or not await _send_allowed(check, outbound):
            return "skipped"
        channel = await ChannelRepository(check).get(outbound.channel_id)
        if channel is None or not (channel.settings or {}).get("smtp"):
            await inbox_service.mark_failed(check, message_id, "the channel has no outgoing mail server")
            return "failed"
        settings, password = dict(channel.settings), secrets_of(channel).get("smtp_password")

    async def record_attempt() -> None:
        async with unit_of_work() as attempt:  # committed before DATA: the attempt is on file
            await inbox_service.mark_sending(attempt, message_id)
        await get_redis().delete(_refused_key(message_id))

    try:
        await smtp.send(smtp.build(outbound), settings=settings, password=password, before_data=record_attempt)
    except smtp.Refused as exc:
        if exc.transient and not _retries_spent():
            await get_redis().set(_refused_key(message_id), "1", ex=REFUSED_MARK_SECONDS)
            await _retry_later(message_id, outbound.channel_id, str(exc))
            raise TransientError(str(exc)) from exc
        if exc.transient:  # the last try: it is dead-lettered now, so the message must not stay "queued"
            exc = smtp.Refused(f"{GAVE_UP} {SEND_RETRIES + 1} attempts: {exc}", transient=True)
        await _finish(message_id, outbound.channel_id, failure=str(exc))
        raise PermanentError(str(exc)) from exc
    except smtp.Uncertain as exc:
        await _finish(message_id, outbound.channel_id, failure=f"{SEND_UNCERTAIN} ({exc})")
        raise PermanentError(str(exc)) from exc
    await _finish(message_id, outbound.channel_id)
    return "sent"
