"""Group commit for webhook deliveries: concurrent acknowledgements share one transaction.

Each request hands its verified delivery to the process's `DeliveryBatcher` and waits.
One writer task takes every delivery pending at that moment and stores them in ONE
transaction: one multi-row `INSERT ... ON CONFLICT DO NOTHING RETURNING` for the events
and one outbox row per source (a `catalog.drain_events` job), committed durably
(`synchronous_commit` stays on), then answers each request. While that commit waits for
its fsync, the next requests gather for the next batch, so one fsync serves many
acknowledgements. The jobs are published after the answers (outbox.publish_soon, which
sends one drain per source for the batches that committed before its round); the outbox
relay publishes them if the process dies first.

A failed batch fails every request in it (503, the sender retries) and stores nothing:
the events and their jobs are one transaction.
"""

import asyncio
import logging
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from mancrel.catalog.exceptions import DeliveryNotStored
from mancrel.catalog.repository import EventRepository, SourceRepository
from mancrel.worker.models import OutboxMessage
from mancrel.worker.outbox import publish_soon, write_jobs

logger = logging.getLogger("mancrel.catalog.batcher")

MAX_BATCH_DELIVERIES = 500
MAX_BATCH_BYTES = 8 * 1024 * 1024  # bodies go up to 1 MB: a few large ones fill a batch

# A connection for a run of batches: the process's engine.connect(), the test's connection in tests.
Connect = Callable[[], AbstractAsyncContextManager[AsyncConnection]]


@dataclass(frozen=True, slots=True)
class Delivery:
    id: uuid.UUID  # the event's id, if it turns out to be new
    source_id: uuid.UUID
    delivery_id: str
    topic: str | None
    body: bytes
    triggered_at: datetime | None
    received_at: datetime


class Outcome(StrEnum):
    stored = "stored"
    duplicate = "duplicate"  # (source, delivery id) was already stored: acknowledged, not processed again
    source_gone = "source_gone"  # the source was deleted since it was cached


class DeliveryBatcher:
    def __init__(self, connect: Connect) -> None:
        self._connect = connect
        self._pending: list[tuple[Delivery, asyncio.Future[Outcome]]] = []
        self._writer: asyncio.Task | None = None

    async def store(self, delivery: Delivery) -> Outcome:
        """Store the delivery with its job; returns once the batch holding it has committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        self._pending.append((delivery, future))
        if self._writer is None or self._writer.done() or self._writer.get_loop() is not loop:
            self._writer = loop.create_task(self._write_pending())
        return await future

    def _next_batch(self) -> list[tuple[Delivery, asyncio.Future[Outcome]]]:
        size, count = 0, 0
        for delivery, _ in self._pending:
            if count and (count >= MAX_BATCH_DELIVERIES or size + len(delivery.body) > MAX_BATCH_BYTES):
                break
            size, count = size + len(delivery.body), count + 1
        batch, self._pending = self._pending[:count], self._pending[count:]
        return batch

    async def _write_pending(self) -> None:
        """Write batches while deliveries wait, on one connection (no checkout per batch)."""
        # Re-checked after the connection is released: closing it yields to the loop, and
        # deliveries that arrive meanwhile found this task still running.
        while self._pending:
            batch = self._next_batch()
            try:
                async with self._connect() as connection:
                    while batch:
                        outcomes, jobs = await self._write(connection, [delivery for delivery, _ in batch])
                        for delivery, future in batch:
                            if not future.done():  # a request whose sender hung up was cancelled
                                future.set_result(outcomes[delivery.id])
                        publish_soon(jobs, coalesce=True)  # drains: one per source and round is enough
                        batch = self._next_batch()
            except Exception:
                # The batch in hand fails as a whole; the next one gets a fresh connection.
                logger.exception("a batch of webhook deliveries could not be stored", extra={"deliveries": len(batch)})
                self._fail(batch)
            except BaseException:  # cancelled at shutdown: nobody is left to write the rest
                self._fail(batch)
                self._fail(self._pending)
                self._pending = []
                raise

    @staticmethod
    def _fail(batch: list[tuple[Delivery, asyncio.Future[Outcome]]]) -> None:
        for _, future in batch:
            if not future.done():
                future.set_exception(DeliveryNotStored())

    @staticmethod
    async def _write(connection: AsyncConnection,
                     deliveries: list[Delivery]) -> tuple[dict[uuid.UUID, Outcome], list[OutboxMessage]]:
        """One transaction: the new events, then one drain job per source that got any."""
        # A savepoint instead when the connection is already in a transaction (the tests').
        session = AsyncSession(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        async with session, session.begin():
            new_ids = await EventRepository(session).insert_batch(deliveries)
            sources_with_new = dict.fromkeys(d.source_id for d in deliveries if d.id in new_ids)
            jobs = await write_jobs(session, [("catalog.drain_events", {"source_id": source_id})
                                              for source_id in sources_with_new])
            not_new = {d.source_id for d in deliveries if d.id not in new_ids}
            live = await SourceRepository(session).existing_ids(not_new) if not_new else set()
        outcomes = {d.id: Outcome.stored if d.id in new_ids else
                    Outcome.duplicate if d.source_id in live else Outcome.source_gone for d in deliveries}
        return outcomes, jobs
