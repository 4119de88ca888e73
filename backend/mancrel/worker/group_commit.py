"""Group commit for webhook intakes: concurrent acknowledgements share one transaction.

Each request hands its verified delivery to the process's batcher and waits. One writer
task takes every delivery pending at that moment and stores them in ONE transaction
(the subclass's `write`: typically one multi-row `INSERT ... ON CONFLICT DO NOTHING` and
the outbox rows of their jobs), committed durably (`synchronous_commit` stays on), then
answers each request. While that commit waits for its fsync, the next requests gather
for the next batch, so one fsync serves many acknowledgements. The jobs are published
after the answers (outbox.publish_soon); the outbox relay publishes them if the process
dies first.

A failed batch fails every request in it (the subclass's `not_stored` error, a 503: the
sender retries) and stores nothing: the deliveries and their jobs are one transaction.

Used by the catalogue's and the email channels' webhook intakes; it lives beside the outbox it
writes to.
"""

import abc
import asyncio
import logging
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Generic, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from mancrel.worker.models import OutboxMessage
from mancrel.worker.outbox import publish_soon

logger = logging.getLogger("mancrel.group_commit")

# A connection for a run of batches: the process's engine.connect(), the test's connection in tests.
Connect = Callable[[], AbstractAsyncContextManager[AsyncConnection]]


class Item(Protocol):
    id: uuid.UUID  # the row's id, if it turns out to be new
    body: bytes


ItemT = TypeVar("ItemT", bound=Item)
OutcomeT = TypeVar("OutcomeT")


class GroupCommitBatcher(abc.ABC, Generic[ItemT, OutcomeT]):
    max_items = 500
    max_bytes = 8 * 1024 * 1024  # a few large bodies fill a batch; a larger one goes alone
    coalesce_jobs = False         # True when the jobs act on whatever is pending (drains)

    def __init__(self, connect: Connect) -> None:
        self._connect = connect
        self._pending: list[tuple[ItemT, asyncio.Future[OutcomeT]]] = []
        self._writer: asyncio.Task | None = None

    @abc.abstractmethod
    async def write(self, session: AsyncSession, items: list[ItemT]) -> tuple[dict[uuid.UUID, OutcomeT],
                                                                             list[OutboxMessage]]:
        """Store `items` in the session's open transaction: each item's outcome by id, and the
        outbox rows written (outbox.write_jobs) to publish once committed."""

    @abc.abstractmethod
    def not_stored(self) -> Exception:
        """The error every request of a failed batch gets."""

    async def store(self, item: ItemT) -> OutcomeT:
        """Store the item with its jobs; returns once the batch holding it has committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[OutcomeT] = loop.create_future()
        self._pending.append((item, future))
        if self._writer is None or self._writer.done() or self._writer.get_loop() is not loop:
            self._writer = loop.create_task(self._write_pending())
        return await future

    def _next_batch(self) -> list[tuple[ItemT, asyncio.Future[OutcomeT]]]:
        size, count = 0, 0
        for item, _ in self._pending:
            if count and (count >= self.max_items or size + len(item.body) > self.max_bytes):
                break
            size, count = size + len(item.body), count + 1
        batch, self._pending = self._pending[:count], self._pending[count:]
        return batch

    async def _write_pending(self) -> None:
        """Write batches while items wait, on one connection (no checkout per batch)."""
        # Re-checked after the connection is released: closing it yields to the loop, and
        # items that arrive meanwhile found this task still running.
        while self._pending:
            batch = self._next_batch()
            try:
                async with self._connect() as connection:
                    while batch:
                        outcomes, jobs = await self._commit(connection, [item for item, _ in batch])
                        for item, future in batch:
                            if not future.done():  # a request whose sender hung up was cancelled
                                future.set_result(outcomes[item.id])
                        publish_soon(jobs, coalesce=self.coalesce_jobs)
                        batch = self._next_batch()
            except Exception:
                # The batch in hand fails as a whole; the next one gets a fresh connection.
                logger.exception("a batch of webhook deliveries could not be stored",
                                 extra={"deliveries": len(batch), "batcher": type(self).__name__})
                self._fail(batch)
            except BaseException:  # cancelled at shutdown: nobody is left to write the rest
                self._fail(batch)
                self._fail(self._pending)
                self._pending = []
                raise

    def _fail(self, batch: list[tuple[ItemT, asyncio.Future[OutcomeT]]]) -> None:
        for _, future in batch:
            if not future.done():
                future.set_exception(self.not_stored())

    async def _commit(self, connection: AsyncConnection,
                      items: list[ItemT]) -> tuple[dict[uuid.UUID, OutcomeT], list[OutboxMessage]]:
        # A savepoint instead when the connection is already in a transaction (the tests').
        session = AsyncSession(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        async with session, session.begin():
            return await self.write(session, items)
