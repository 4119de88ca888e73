import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from mancrel.core.pagination import after, decode_cursor
from mancrel.deadletter.models import DeadLetter, DeadLetterStatus
from mancrel.deadletter.schemas import DeadLetterFilters


def _filtered(stmt: Select, filters: DeadLetterFilters) -> Select:
    if filters.task_name:
        stmt = stmt.where(DeadLetter.task_name == filters.task_name)
    if filters.status and filters.status != "all":
        stmt = stmt.where(DeadLetter.status == filters.status)
    if filters.error_contains:
        pattern = "%" + filters.error_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(DeadLetter.error.ilike(pattern, escape="\\"))
    if filters.failed_after:
        stmt = stmt.where(DeadLetter.last_failed_at >= filters.failed_after)
    if filters.failed_before:
        stmt = stmt.where(DeadLetter.last_failed_at < filters.failed_before)
    return stmt


class DeadLetterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, dead_letter_id: uuid.UUID, *, for_update: bool = False) -> DeadLetter | None:
        stmt = select(DeadLetter).where(DeadLetter.id == dead_letter_id)
        if for_update:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    async def list_page(self, filters: DeadLetterFilters, *, limit: int, cursor: str | None) -> list[DeadLetter]:
        """Most recent failure first, up to `limit + 1` rows after `cursor`."""
        stmt = _filtered(select(DeadLetter), filters).order_by(
            DeadLetter.last_failed_at.desc(), DeadLetter.id.desc()).limit(limit + 1)
        if cursor:
            values = decode_cursor(cursor, (datetime.fromisoformat, uuid.UUID))
            stmt = stmt.where(after((DeadLetter.last_failed_at, DeadLetter.id), values, descending=True))
        return list(await self.session.scalars(stmt))

    async def lock_pending(self, filters: DeadLetterFilters, *, limit: int) -> list[DeadLetter]:
        """Pending matches, oldest first, locked so two replays cannot send one twice."""
        filters = filters.model_copy(update={"status": DeadLetterStatus.pending})
        stmt = _filtered(select(DeadLetter), filters).order_by(DeadLetter.last_failed_at, DeadLetter.id)
        return list(await self.session.scalars(stmt.limit(limit).with_for_update(skip_locked=True)))

    async def count_pending(self) -> int:
        return await self.session.scalar(
            select(func.count()).select_from(DeadLetter).where(DeadLetter.status == DeadLetterStatus.pending)) or 0

    async def oldest_pending(self, task_names: Sequence[str], *, kwarg: str,
                             values: Sequence[str] | Select) -> datetime | None:
        """When the oldest pending letter of these jobs whose `kwargs[kwarg]` is among `values` first
        failed (the catalogue's freshness figure: a sync job given up on is a change we lack)."""
        return await self.session.scalar(select(func.min(DeadLetter.first_failed_at)).where(
            DeadLetter.status == DeadLetterStatus.pending, DeadLetter.task_name.in_(list(task_names)),
            DeadLetter.kwargs[kwarg].astext.in_(values)))

    async def upsert(self, values: dict[str, Any]) -> None:
        """One row per job id: a job dead-lettered again (redelivered) refreshes its row."""
        stmt = insert(DeadLetter).values(id=uuid.uuid4(), status=DeadLetterStatus.pending, **values)
        update = {k: stmt.excluded[k] for k in ("error", "error_type", "traceback", "attempts", "last_failed_at")}
        await self.session.execute(stmt.on_conflict_do_update(index_elements=[DeadLetter.task_id], set_=update))

    async def delete(self, dead_letter: DeadLetter) -> None:
        await self.session.delete(dead_letter)
