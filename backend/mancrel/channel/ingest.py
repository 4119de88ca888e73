"""`channel.ingest_event` in batches: read stored deliveries with their adapters and hand them to
the inbox, many per job.

Why: one job per delivery cost more than 1/50 s of worker time (its own transaction, a dozen
statements, the broker round trips of its follow-up jobs), so at 50 mails a second the queue grew
for the whole burst. A job now takes its own delivery first and up to `BATCH - 1` other pending
ones (`FOR UPDATE SKIP LOCKED`: two workers share a burst, never a delivery) and stores them in its
one transaction; the senders' intake locks are taken in one statement, each channel's mail is stored
set-based (inbox/email_batch.py), the new contacts' embeddings, their profile refreshes and the
mail's classification are one job each, and the events are marked in one statement. The jobs of
the deliveries it took then find them processed and return at once.

What it promises, per delivery, as when each had a job of its own:
- Its own delivery goes first and fails as before: unreadable -> `failed` with the reason and
  dead-lettered (PermanentError); a status for a reply not stored yet -> retried (TransientError).
  Nothing else of the batch has been written when it raises.
- Another delivery never blocks or rolls back the rest. An unreadable one is marked `failed` with
  its reason and left to its own job, which dead-letters it (replayable as ever); any other error
  rolls back its savepoint alone and leaves it to its own job: `pending` when the error may pass
  (that job retries it), `failed` with the error otherwise (so later batches do not take it again).
- Idempotent as before: a delivery is processed once (the inbox dedupes messages; a processed
  event is never taken again).
- When another job's batch holds this job's own delivery, the job does the other pending ones and
  queues itself again (published after this commit): that copy finds it processed, or does it.
- The jobs of the deliveries a batch stored are revoked once it committed (`_revoke_after_commit`).
"""

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel.exceptions import UnparseablePayload
from mancrel.channel.meta import INGEST_JOB
from mancrel.channel.models import Channel, InboundEvent, InboundStatus
from mancrel.channel.providers import PARSERS, Inbound
from mancrel.channel.repository import ChannelRepository, InboundEventRepository
from mancrel.contact import service as contact_service
from mancrel.core import product_metrics
from mancrel.core.db import after_commit, savepoint, unit_of_work, utcnow
from mancrel.inbox import chat, email_batch, form_relay
from mancrel.inbox import service as inbox_service
from mancrel.inbox.inbound import DeliveryUpdate, InboundChat, InboundEmail
from mancrel.inbox.models import Message
from mancrel.insights.profile_signal import refreshes_batched
from mancrel.worker.app import celery_app
from mancrel.worker.errors import PermanentError, TransientError, is_transient
from mancrel.worker.outbox import enqueue

logger = logging.getLogger("mancrel.channel")

BATCH = 64  # deliveries per job at most; a job takes what is waiting, so a quiet inbox still gets one each
STATUS_WAIT = timedelta(minutes=1)  # how long a status for an unknown message is retried
UNREADABLE = (UnparseablePayload, ValueError, LookupError, TypeError)


@dataclass
class Read:
    """A claimed delivery as its adapter read it (`item` None: unreadable, `error` says why)."""

    event: InboundEvent
    item: Inbound | None
    error: str | None = None


@dataclass
class Done:
    read: Read
    outcome: str
    message: Message | None


def read(event: InboundEvent) -> Read:
    try:
        return Read(event, PARSERS[event.provider](event.body, event.content_type))
    except UNREADABLE as exc:
        return Read(event, None, f"unreadable {event.provider} delivery: {exc}")


async def already_ingested(session: AsyncSession, event_id: uuid.UUID) -> bool:
    """The job's pre-check (worker/task.py `done_when`): its delivery is gone or processed, which it
    stays (nothing sets a processed delivery back to pending), so the job has nothing to do, now or
    when redelivered. Most such jobs were revoked; those that run anyway (a batch stored their
    delivery while they were already on their way) now skip without writing anything. The event it
    reads stays loaded for `ingest`, which would read it first thing otherwise."""
    event = await InboundEventRepository(session).get(event_id)
    return event is None or event.status == InboundStatus.processed


async def ingest(session: AsyncSession, event_id: uuid.UUID) -> str:
    """The job: its own delivery (what happened to it is the answer) and whatever else is waiting."""
    events = InboundEventRepository(session)
    event = await events.loaded(event_id)
    if event is None or event.status == InboundStatus.processed:
        return "skipped"
    first = read(event)
    if first.item is None:
        await _fail_alone(event, first.error or "unreadable")
    own = await events.claim(event_id)
    if own is not None and own.status == InboundStatus.processed:
        return "skipped"
    others = [read(e) for e in await events.claim_pending(
        providers=list(PARSERS), exclude=event_id, limit=BATCH - 1)]
    if own is None and not others:
        own = await events.get_for_update(event_id)  # held by another batch, which ends soon: wait for it
        if own is None or own.status == InboundStatus.processed:
            return "skipped"
    elif own is None:
        enqueue(session, INGEST_JOB, event_id=event_id)  # its holder may leave it: look again after commit
    return await _ingest_batch(session, event_id, Read(own, first.item) if own is not None else None, others)


async def _fail_alone(event: InboundEvent, reason: str) -> None:
    """The job's own delivery is unreadable: kept (failed, with the reason) in a transaction of its
    own, since the job's rolls back, and dead-lettered: replayable once the adapter reads it."""
    async with unit_of_work() as other:
        failed = await InboundEventRepository(other).get_for_update(event.id)
        if failed is not None:
            failed.status, failed.error = InboundStatus.failed, reason[:2000]
        await ChannelRepository(other).record_health(event.channel_id, error=reason)
    raise PermanentError(reason)


async def _ingest_batch(session: AsyncSession, event_id: uuid.UUID, own: Read | None, others: list[Read]) -> str:
    channels = await ChannelRepository(session).get_many(
        {r.event.channel_id for r in ([own] if own else []) + others})
    readable = [r for r in others if r.item is not None and r.event.channel_id in channels]
    for r in ([own] if own else []) + readable:  # before the senders' locks: a relayed form's sender is its Reply-To
        if isinstance(r.item, InboundEmail) and r.event.channel_id in channels:
            shop = inbox_service.shop_addresses(channels[r.event.channel_id])
            r.item = form_relay.resolve(r.item, shop_addresses=shop)
    senders = [(r.event.channel_id, r.item) for r in ([own] if own else []) + readable]
    await inbox_service.lock_senders(session, senders)
    if own is not None and own.event.channel_id not in channels:
        return "skipped"
    async with contact_service.embeddings_batched(session), refreshes_batched(session):
        done, set_aside = await _deliver_each(session, channels, own, readable)
    await _finish(session, channels, done, [r for r in others if r.item is None], set_aside, event_id)
    if own is None:
        return f"requeued; {len(done)} others ingested"
    return done[0].outcome if len(others) == 0 else f"{done[0].outcome}; {len(done) - 1} others ingested"


async def _deliver_each(session: AsyncSession, channels: dict[uuid.UUID, Channel], own: Read | None,
                        reads: list[Read]) -> tuple[list[Done], list[tuple[Read, Exception]]]:
    """The batch together in one savepoint (each channel's mail in one go), its own delivery first.
    When anything in it fails: the own delivery again alone (raising as a job of its own would),
    then the others one savepoint each, so that only the failing one is set aside."""
    try:
        async with savepoint(session):
            return await _deliver_together(session, channels, own, reads)
    except Exception as exc:  # which one failed is found out below, one by one
        logger.info("ingest batch failed as a whole; its deliveries again one by one", extra={"error": repr(exc)})
    done = [await _deliver(session, channels[own.event.channel_id], own)] if own is not None else []
    set_aside: list[tuple[Read, Exception]] = []
    for r in reads:
        try:
            async with savepoint(session):
                done.append(await _deliver(session, channels[r.event.channel_id], r))
        except Exception as exc:
            set_aside.append((r, exc))
    return done, set_aside


async def _deliver_together(session: AsyncSession, channels: dict[uuid.UUID, Channel], own: Read | None,
                            reads: list[Read]) -> tuple[list[Done], list[tuple[Read, Exception]]]:
    """The mails of each channel stored together (inbox/email_batch.py), the rest one by one (chat
    messages, statuses: a status that must wait for its reply is set aside here, in its own
    savepoint, without costing the batch its group); the outcomes in the order of the reads."""
    done: dict[uuid.UUID, Done] = {}
    set_aside: list[tuple[Read, Exception]] = []
    mails: dict[uuid.UUID, list[Read]] = {}
    for r in ([own] if own else []) + reads:
        if isinstance(r.item, InboundEmail):
            mails.setdefault(r.event.channel_id, []).append(r)
        elif r is own:
            done[r.event.id] = await _deliver(session, channels[r.event.channel_id], r)  # raises as its own job
        else:
            try:
                async with savepoint(session):
                    done[r.event.id] = await _deliver(session, channels[r.event.channel_id], r)
            except TransientError as exc:
                set_aside.append((r, exc))
    for channel_id, group in mails.items():
        messages = await email_batch.receive_emails(session, channel=channels[channel_id],  # locks: _ingest_batch
                                                    emails=[r.item for r in group], locked=True)
        for r, message in zip(group, messages, strict=True):
            done[r.event.id] = Done(r, "stored" if message is not None else "duplicate", message)
    return [done[r.event.id] for r in ([own] if own else []) + reads if r.event.id in done], set_aside


async def _deliver(session: AsyncSession, channel: Channel, r: Read) -> Done:
    """Hand the read item to the inbox: what happened, and the message it became."""
    item = r.item
    if isinstance(item, InboundEmail):
        message = await inbox_service.receive_email(session, channel=channel, email=item)
    elif isinstance(item, InboundChat):
        message = await chat.receive_chat(session, channel=channel, chat=item)
    elif isinstance(item, DeliveryUpdate):
        result = await chat.apply_delivery_update(session, channel_id=channel.id, update=item)
        if result == "unmatched" and utcnow() - r.event.received_at < STATUS_WAIT:
            # Meta can report "sent" before our send job has stored the message's wamid: wait for it.
            raise TransientError(f"no outbound message {item.provider_message_id} yet")
        return Done(r, f"status {result}", None)
    else:  # the junk gate: system notices, reactions, echoes never become customer messages
        return Done(r, f"ignored: {item.reason}", None)
    return Done(r, "stored" if message is not None else "duplicate", message)


async def _finish(session: AsyncSession, channels: dict[uuid.UUID, Channel], done: list[Done],
                  unreadable: list[Read], set_aside: list[tuple[Read, Exception]], own_id: uuid.UUID) -> None:
    """Mark the batch's events in one statement per outcome, and each channel's health once."""
    failed = [(r.event.id, r.error or "unreadable") for r in unreadable]
    for r, exc in set_aside:
        logger.warning("delivery set aside from an ingest batch", extra={
            "event_id": str(r.event.id), "error": repr(exc), "retried": is_transient(exc)})
        if not is_transient(exc):  # left pending otherwise: its own job retries it
            failed.append((r.event.id, f"ingest failed: {exc!r}"))
    events = InboundEventRepository(session)
    await events.mark_processed([(d.read.event.id, d.message.id if d.message else None) for d in done])
    _revoke_after_commit(session, [str(d.read.event.id) for d in done if d.read.event.id != own_id])
    await events.mark_failed(failed)
    health = ChannelRepository(session)
    for r in unreadable:
        await health.record_health(r.event.channel_id, error=r.error)
    for channel_id in {d.read.event.channel_id for d in done}:
        await health.record_health(channel_id, received=True)
    for d in done:
        if isinstance(d.read.item, InboundEmail | InboundChat):
            product_metrics.inbound(channels[d.read.event.channel_id].kind, d.message)


class _NoResultBackendNoise(logging.Filter):
    """Celery's revoke handler tries to file each revoked job in the result backend; this app keeps
    none (`task_ignore_result`), so without this every ingest batch would log a warning per job."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "No result backend is configured" not in record.getMessage()


logging.getLogger("celery.worker.control").addFilter(_NoResultBackendNoise())


def _revoke_after_commit(session: AsyncSession, job_ids: list[str]) -> None:
    """Once this batch committed, the workers drop the jobs of the deliveries it stored unrun (a
    webhook delivery's job id is its event id, intake.py). Each would only have found its delivery
    processed, but at some ten milliseconds a job that was most of the worker's time in a burst. A
    worker that misses the broadcast runs them, and they skip: nothing depends on it."""
    async def revoke() -> None:
        try:
            await asyncio.to_thread(celery_app.control.revoke, job_ids)
        except Exception:  # the broker is away: the jobs run and skip
            logger.warning("could not revoke the jobs of ingested deliveries", exc_info=True)

    if job_ids:
        after_commit(session, revoke)
