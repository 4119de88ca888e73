import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.permissions import Actor, visible_filter
from mancrel.deal.models import Deal, DealStageChange
from mancrel.deal.ranking import GAP


class DealRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, deal_id: uuid.UUID, *, include_deleted: bool = False) -> Deal | None:
        deal = await self.session.get(Deal, deal_id)
        if deal is None or (deal.deleted_at is not None and not include_deleted):
            return None
        return deal

    async def get_visible(self, deal_id: uuid.UUID, actor: Actor, *, include_deleted: bool = False) -> Deal | None:
        stmt = select(Deal).where(Deal.id == deal_id, visible_filter(Deal, actor))
        if not include_deleted:
            stmt = stmt.where(Deal.deleted_at.is_(None))
        return await self.session.scalar(stmt)

    async def page(self, stmt: Select) -> list[Deal]:
        return list(await self.session.scalars(stmt))

    async def stream(self, stmt: Select, *, batch: int = 1000) -> AsyncIterator[Deal]:
        result = await self.session.stream_scalars(stmt.execution_options(yield_per=batch))
        async for deal in result:
            yield deal

    async def count_in_stage(self, stage_id: uuid.UUID) -> int:
        stmt = select(func.count()).select_from(Deal).where(Deal.stage_id == stage_id)
        return await self.session.scalar(stmt) or 0

    async def neighbour_ranks(self, stage_id: uuid.UUID, actor: Actor, *, position: int | None,
                              exclude: uuid.UUID) -> tuple[int | None, int | None]:
        """Ranks of the cards the moved one lands between, as `actor` sees the stage."""
        base = (select(Deal.rank).where(Deal.stage_id == stage_id, Deal.deleted_at.is_(None),
                                        Deal.id != exclude, visible_filter(Deal, actor)))
        if position is None:
            last = await self.session.scalar(
                select(func.max(Deal.rank)).where(Deal.stage_id == stage_id, Deal.id != exclude))
            return last, None
        # A card's position is small in practice (a person drags within what they see), so
        # OFFSET over the (stage_id, rank) index stays cheap here.
        ranks = list(await self.session.scalars(
            base.order_by(Deal.rank, Deal.id).offset(max(position - 1, 0)).limit(2 if position else 1)))
        if position == 0:
            return None, (ranks[0] if ranks else None)
        before = ranks[0] if ranks else await self.session.scalar(
            select(func.max(Deal.rank)).where(Deal.stage_id == stage_id, Deal.id != exclude))
        return before, (ranks[1] if len(ranks) > 1 else None)

    async def respace_stage(self, stage_id: uuid.UUID) -> None:
        """Renumber one stage's ranks with full gaps, keeping their order (rare: see ranking.py)."""
        numbered = (select(Deal.id, (func.row_number().over(order_by=(Deal.rank, Deal.id)) * GAP).label("r"))
                    .where(Deal.stage_id == stage_id).subquery())
        await self.session.execute(
            update(Deal).where(Deal.id == numbered.c.id).values(rank=numbered.c.r)
            .execution_options(synchronize_session=False))

    async def stage_changes(self, deal_id: uuid.UUID) -> list[DealStageChange]:
        stmt = (select(DealStageChange).where(DealStageChange.deal_id == deal_id)
                .order_by(DealStageChange.changed_at.desc(), DealStageChange.id.desc()))
        return list(await self.session.scalars(stmt))

    async def ids_for_contact(self, contact_id: uuid.UUID, actor: Actor | None = None) -> list[uuid.UUID]:
        """Ids of the contact's deals (deleted ones too), only those `actor` may see when given."""
        stmt = select(Deal.id).where(Deal.contact_id == contact_id)
        if actor is not None:
            stmt = stmt.where(visible_filter(Deal, actor))
        return list(await self.session.scalars(stmt))

    async def set_contact(self, ids: Sequence[uuid.UUID], contact_id: uuid.UUID) -> None:
        if ids:
            await self.session.execute(
                update(Deal).where(Deal.id.in_(ids)).values(contact_id=contact_id, version=Deal.version + 1)
                .execution_options(synchronize_session="fetch"))

    async def oldest(self, limit: int) -> list[Deal]:
        stmt = select(Deal).where(Deal.deleted_at.is_(None)).order_by(Deal.created_at, Deal.id).limit(limit)
        return list(await self.session.scalars(stmt))

    async def find_same(self, *, title: str, pipeline_id: uuid.UUID, contact_id: uuid.UUID | None,
                        company_id: uuid.UUID | None) -> Deal | None:
        stmt = select(Deal).where(Deal.title == title, Deal.pipeline_id == pipeline_id, Deal.deleted_at.is_(None),
                                  Deal.contact_id.is_not_distinct_from(contact_id),
                                  Deal.company_id.is_not_distinct_from(company_id)).limit(1)
        return await self.session.scalar(stmt)

    async def lock_source(self, source: str, source_ref: str) -> None:
        """Until this transaction ends, others making a deal for the same source record wait here,
        then find this one's deal instead of failing on the unique index."""
        key = f"deal-source:{source}:{source_ref}"
        await self.session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))

    async def by_source(self, source: str, source_ref: str) -> Deal | None:
        """The deal made for this source record, deleted or not."""
        return await self.session.scalar(select(Deal).where(Deal.source == source, Deal.source_ref == source_ref))

    async def last_rank(self, stage_id: uuid.UUID) -> int | None:
        return await self.session.scalar(select(func.max(Deal.rank)).where(Deal.stage_id == stage_id))


def list_query(filters: Any, actor: Actor, custom_clause: Any = None) -> Select:
    """The deals `actor` may see that match `filters` (a DealFilters), unordered."""
    stmt = select(Deal).where(visible_filter(Deal, actor))
    stmt = stmt.where(Deal.deleted_at.is_not(None) if filters.deleted else Deal.deleted_at.is_(None))
    equal = {"owner_id": Deal.owner_id, "pipeline_id": Deal.pipeline_id, "stage_id": Deal.stage_id,
             "status": Deal.status, "contact_id": Deal.contact_id, "company_id": Deal.company_id}
    for name, column in equal.items():
        value = getattr(filters, name)
        if value is not None:
            stmt = stmt.where(column == value)
    if filters.unassigned:
        stmt = stmt.where(Deal.owner_id.is_(None))
    ranges = [(filters.created_after, Deal.created_at, True), (filters.created_before, Deal.created_at, False),
              (filters.updated_after, Deal.updated_at, True), (filters.updated_before, Deal.updated_at, False)]
    for value, column, lower in ranges:
        if value is not None:
            stmt = stmt.where(column >= value if lower else column < value)
    if filters.q:
        stmt = stmt.where(Deal.title.ilike(f"%{_escape_like(filters.q.strip())}%"))
    if custom_clause is not None:
        stmt = stmt.where(custom_clause)
    return stmt


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
