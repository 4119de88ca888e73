"""Dead letters: list, replay and discard jobs that failed for good.

Letters are written by the job runner through `deadletter.failures`.
Replaying writes a new outbox job (a new id, so its completion bookkeeping is its own)
in the admin's transaction and marks the letter replayed; the job is published after
commit like any other. The letter stays, as the record of what happened, until
discarded.
"""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.core.db import utcnow
from mancrel.deadletter.exceptions import AlreadyReplayed, DeadLetterNotFound
from mancrel.deadletter.models import DeadLetter, DeadLetterStatus
from mancrel.deadletter.repository import DeadLetterRepository
from mancrel.deadletter.schemas import DeadLetterFilters, ReplayByFilter
from mancrel.worker.outbox import enqueue

AUDITED = ("task_id", "task_name", "kwargs", "error", "attempts", "status", "replay_task_id")


async def list_page(session: AsyncSession, filters: DeadLetterFilters, *, limit: int,
                    cursor: str | None) -> list[DeadLetter]:
    return await DeadLetterRepository(session).list_page(filters, limit=limit, cursor=cursor)


async def get(session: AsyncSession, dead_letter_id: uuid.UUID, *, for_update: bool = False) -> DeadLetter:
    dead_letter = await DeadLetterRepository(session).get(dead_letter_id, for_update=for_update)
    if dead_letter is None:
        raise DeadLetterNotFound(dead_letter_id)
    return dead_letter


async def count_pending(session: AsyncSession) -> int:
    return await DeadLetterRepository(session).count_pending()


async def _replay(session: AsyncSession, dead_letter: DeadLetter, actor: Any | None) -> None:
    before = audit_service.snapshot(dead_letter, AUDITED)
    message = enqueue(session, dead_letter.task_name, **dead_letter.kwargs)
    dead_letter.status = DeadLetterStatus.replayed
    dead_letter.replayed_at = utcnow()
    dead_letter.replay_task_id = message.id
    await audit_service.record(session, actor=actor, action="dead_letter.replayed", entity_type="dead_letter",
                               entity_id=dead_letter.id, before=before,
                               after=audit_service.snapshot(dead_letter, AUDITED))


async def replay(session: AsyncSession, dead_letter_id: uuid.UUID, *, actor: Any | None) -> DeadLetter:
    dead_letter = await get(session, dead_letter_id, for_update=True)
    if dead_letter.status != DeadLetterStatus.pending:
        raise AlreadyReplayed(dead_letter_id)
    await _replay(session, dead_letter, actor)
    await session.flush()
    return dead_letter


async def replay_matching(session: AsyncSession, data: ReplayByFilter, *, actor: Any | None) -> list[DeadLetter]:
    filters = DeadLetterFilters(**data.model_dump(exclude={"limit"}))
    letters = await DeadLetterRepository(session).lock_pending(filters, limit=data.limit)
    for dead_letter in letters:
        await _replay(session, dead_letter, actor)
    await session.flush()
    return letters


async def discard(session: AsyncSession, dead_letter_id: uuid.UUID, *, actor: Any | None) -> None:
    dead_letter = await get(session, dead_letter_id, for_update=True)
    await audit_service.record(session, actor=actor, action="dead_letter.discarded", entity_type="dead_letter",
                               entity_id=dead_letter.id, before=audit_service.snapshot(dead_letter, AUDITED))
    await DeadLetterRepository(session).delete(dead_letter)
    await session.flush()
