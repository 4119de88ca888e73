"""The transactional outbox: jobs are enqueued in the caller's transaction.

`enqueue` writes a row beside the change that calls for the job. Once the transaction
commits, the job is published to the broker and the row marked published. If that
publish is lost (process killed between commit and publish, broker down), the relay,
run by beat every few seconds, publishes rows still unpublished. A rolled-back
transaction takes its rows with it, so its jobs never run.

Hot paths that must answer before publishing (the webhook intake) write their rows with
`write_jobs` and hand them to `publish_soon` once committed: the publish then happens
after the response, coalesced with whatever else commits meanwhile, and the relay still
covers a process that dies in between.
"""

import asyncio
import json
import logging
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import Uuid, any_, bindparam, insert, inspect, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import after_commit, unit_of_work, utcnow
from mancrel.worker.app import BEAT_SCHEDULE, celery_app
from mancrel.worker.models import OutboxMessage
from mancrel.worker.task import job

logger = logging.getLogger("mancrel.outbox")

RELAY_GRACE = timedelta(seconds=5)  # leave the committing request time to publish first
RELAY_BATCH = 500
MIN_ROUND_INTERVAL = 0.02  # seconds between background publish rounds (publish_soon)
SEND_CHUNK = 500  # jobs per pipelined broker round trip (_send_all)
MARK_INTERVAL = 0.5  # seconds background rounds' marks wait to share one transaction


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


def enqueue(session: AsyncSession, task_name: str, **kwargs: Any) -> OutboxMessage:
    """Schedule `task_name(**kwargs)` to run after the session's transaction commits."""
    message = OutboxMessage(id=uuid.uuid4(), task_name=task_name,
                            kwargs={k: _jsonable(v) for k, v in kwargs.items()})
    session.add(message)
    pending: list[OutboxMessage] = session.info.setdefault("outbox_pending", [])
    if not pending:
        after_commit(session, lambda: _publish_after_commit(session))
    pending.append(message)
    return message


async def write_jobs(session: AsyncSession, jobs: list[tuple[str, dict[str, Any]]], *,
                     ids: list[uuid.UUID] | None = None) -> list[OutboxMessage]:
    """Write outbox rows for `(task name, kwargs)` in one statement, with no after-commit
    publish: the caller passes the returned messages to `publish_soon` once it committed.
    `ids`, when given, are the jobs' ids (the Celery task ids), one per job and never reused."""
    messages = [OutboxMessage(id=job_id or uuid.uuid4(), task_name=name, created_at=utcnow(), publish_attempts=0,
                              kwargs={k: _jsonable(v) for k, v in kwargs.items()})
                for (name, kwargs), job_id in zip(jobs, ids or [None] * len(jobs), strict=True)]
    if messages:  # Core, not the ORM's bulk path: this runs on hot paths
        await session.execute(insert(OutboxMessage.__table__), [
            {"id": m.id, "task_name": m.task_name, "kwargs": m.kwargs, "created_at": m.created_at,
             "publish_attempts": 0} for m in messages])
    return messages


async def _publish_after_commit(session: AsyncSession) -> None:
    # A plain `session.rollback()` (or a rolled-back savepoint) since `enqueue` leaves the
    # message here but makes it transient again: it was never committed, so never sent.
    messages = [m for m in session.info.pop("outbox_pending", []) if not inspect(m).transient]
    await publish(messages)


def _send(message: OutboxMessage, producer=None) -> None:
    # The outbox id is the Celery task id: one job, one id, however often it is relayed.
    celery_app.send_task(message.task_name, kwargs=message.kwargs, task_id=str(message.id), producer=producer,
                         retry=True, retry_policy={"max_retries": 1, "interval_start": 0,
                                                   "interval_step": 0.2, "interval_max": 0.5})


def _send_all(messages: list[OutboxMessage]) -> list[uuid.UUID]:
    """Send in order on one broker connection, `SEND_CHUNK` jobs per pipelined round trip; stop at
    the first chunk that fails (tried twice: a stale connection is replaced on the first failure).
    The ids sent: a chunk counts only once flushed, so a failure may re-send jobs (the relay does,
    later; every job is idempotent) but never leaves one unsent and marked.

    Why chunks in a pipeline: one `send_task` each cost about a third of a millisecond of CPU (kombu
    makes a Redis client per publish), the largest part of a webhook's or a job's publishing."""
    sent: list[uuid.UUID] = []
    for start in range(0, len(messages), SEND_CHUNK):
        chunk = messages[start:start + SEND_CHUNK]
        for attempt in (1, 2):
            try:
                with celery_app.producer_or_acquire() as producer, producer.batch(max_size=SEND_CHUNK + 1):
                    for message in chunk:
                        _send(message, producer)
                break
            except Exception:  # the broker is unreachable: the relay retries the rest later
                if attempt == 2:
                    logger.warning("outbox publish failed, relay will retry", exc_info=True,
                                   extra={"unsent": len(messages) - len(sent)})
                    return sent
        sent.extend(message.id for message in chunk)
    return sent


async def publish(messages: list[OutboxMessage]) -> int:
    """Publish committed messages and mark them; failures are left for the relay."""
    if not messages:
        return 0
    published = await asyncio.to_thread(_send_all, messages)  # one thread hop per commit, not per job
    await _mark(published)
    return len(published)


async def _mark(ids: list[uuid.UUID]) -> None:
    """Mark rows published, in one statement. Never raises: a row published but not marked is
    only sent again by the relay, and every job is idempotent."""
    if not ids:
        return
    try:
        async with unit_of_work() as session:
            # No fsync for the mark: a mark lost in a crash only means the relay sends
            # the job again, and every job is idempotent.
            await session.execute(text("SET LOCAL synchronous_commit = off"))
            # One array parameter: a first catalogue load publishes 100,000 jobs at once,
            # past the 32,767 parameters of an expanded IN list.
            await session.execute(update(OutboxMessage).values(published_at=utcnow()).where(
                OutboxMessage.id == any_(bindparam("published_ids", ids, type_=ARRAY(Uuid())))))
    except Exception:  # published but not marked: the relay re-sends; tasks are idempotent
        logger.warning("outbox mark failed", exc_info=True)


def _coalesce(queued: list[tuple[OutboxMessage, bool]]) -> tuple[list[OutboxMessage],
                                                                dict[uuid.UUID, list[uuid.UUID]]]:
    """One message per (task, kwargs) among the coalescable ones; the rows each sent one stands for."""
    to_send: list[OutboxMessage] = []
    stands_for: dict[uuid.UUID, list[uuid.UUID]] = {}
    first: dict[tuple[str, str], uuid.UUID] = {}
    for message, coalescable in queued:
        key = (message.task_name, json.dumps(message.kwargs, sort_keys=True))
        if coalescable and key in first:
            stands_for[first[key]].append(message.id)
            continue
        if coalescable:
            first[key] = message.id
        to_send.append(message)
        stands_for[message.id] = [message.id]
    return to_send, stands_for


class _BackgroundPublisher:
    """Publishes committed messages off the caller's path, in rounds at most
    MIN_ROUND_INTERVAL apart: what commits while a round is under way waits for the next
    one, so a busy process makes few large rounds (one broker connection) instead of one
    per commit.

    The rounds' marks wait up to MARK_INTERVAL and share one transaction: at 50 webhooks a
    second nearly every delivery made a round of its own, and its mark (a connection
    checkout with its ping, then four statements) was the largest part of the API's CPU per
    delivery. A waiting mark lost with the process only means the relay sends those jobs
    again (idempotent, as any relayed job); the wait stays far under RELAY_GRACE, so the
    relay does not take rows that are merely waiting for their mark."""

    def __init__(self) -> None:
        self._queue: list[tuple[OutboxMessage, bool]] = []
        self._round: asyncio.Task | None = None
        self._sent: list[uuid.UUID] = []  # rows published, not yet marked
        self._marker: asyncio.Task | None = None

    def add(self, messages: list[OutboxMessage], *, coalesce: bool) -> None:
        self._queue.extend((message, coalesce) for message in messages)
        if self._round is None or self._round.done():
            self._round = asyncio.get_running_loop().create_task(self._publish_queued())

    async def _publish_queued(self) -> None:
        loop = asyncio.get_running_loop()
        while self._queue:
            started = loop.time()
            queued, self._queue = self._queue, []
            to_send, stands_for = _coalesce(queued)
            try:
                sent = await asyncio.to_thread(_send_all, to_send)
            except Exception:  # never lost: the rows stay unpublished for the relay
                logger.warning("background outbox publish failed", exc_info=True)
                sent = []
            self._sent.extend(row for message_id in sent for row in stands_for[message_id])
            if self._sent and (self._marker is None or self._marker.done()):
                self._marker = loop.create_task(self._mark_later())
            await asyncio.sleep(max(0.0, started + MIN_ROUND_INTERVAL - loop.time()))

    async def _mark_later(self) -> None:
        await asyncio.sleep(MARK_INTERVAL)
        await self._mark_sent()

    async def _mark_sent(self) -> None:
        while self._sent:
            ids, self._sent = self._sent, []
            await _mark(ids)

    async def drain(self) -> None:
        """Wait for what was handed over so far, marks included (shutdown, tests)."""
        while self._round is not None and not self._round.done():
            await asyncio.shield(self._round)
        await self._mark_sent()


_background = _BackgroundPublisher()


def publish_soon(messages: list[OutboxMessage], *, coalesce: bool = False) -> None:
    """Publish committed messages in the background (see the module's docstring).

    `coalesce=True` is for jobs that act on the state they find when they run (a drain of
    whatever is pending): of such messages with the same task and arguments queued for
    one round only one is sent, and all their rows are marked. That is safe because the
    round starts after every one of them committed, so the one job sent sees all they
    would have seen."""
    if messages:
        _background.add(messages, coalesce=coalesce)


async def published_soon() -> None:
    await _background.drain()


async def relay_pending(session: AsyncSession, *, older_than: timedelta = RELAY_GRACE) -> int:
    """Publish every message still unpublished after `older_than`. Returns how many."""
    rows = list(await session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.published_at.is_(None), OutboxMessage.created_at < utcnow() - older_than)
        .order_by(OutboxMessage.created_at)
        .limit(RELAY_BATCH)
        .with_for_update(skip_locked=True)))
    sent = set(await asyncio.to_thread(_send_all, rows)) if rows else set()
    for message in rows:
        message.publish_attempts += 1
        if message.id in sent:
            message.published_at = utcnow()
    return len(sent)


# Periodic and idempotent by nature: no completion bookkeeping, no dead letters (the next
# run, seconds later, is the retry).
@job("outbox.relay", once=False, max_retries=0, dead_letter=False)
async def relay_outbox(session: AsyncSession) -> int:
    return await relay_pending(session)


BEAT_SCHEDULE["outbox-relay"] = {"task": "outbox.relay", "schedule": 5.0}
