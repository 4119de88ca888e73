import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.company.models import Company
from mancrel.core import normalise
from mancrel.core.listing import Sort, SortField, apply_keyset, keyset_page, sort_field
from mancrel.core.permissions import Actor, visible_filter
from mancrel.core.record_filters import RecordFilters, apply_record_filters, like_pattern
from mancrel.customfield import service as customfield_service

SORTS: dict[str, SortField] = {
    "created_at": sort_field(Company.created_at, datetime),
    "updated_at": sort_field(Company.updated_at, datetime),
    "name": sort_field(Company.name, str),
}


class CompanyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, company_id: uuid.UUID) -> Company | None:
        return await self.session.get(Company, company_id)

    async def get_visible(self, company_id: uuid.UUID, actor: Actor, *, deleted: bool = False) -> Company | None:
        stmt = select(Company).where(Company.id == company_id, visible_filter(Company, actor))
        stmt = stmt.where(Company.deleted_at.is_not(None) if deleted else Company.deleted_at.is_(None))
        return await self.session.scalar(stmt)

    async def get_by_domain(self, domain: str, *, exclude_id: uuid.UUID | None = None) -> Company | None:
        stmt = select(Company).where(Company.domain == domain, Company.deleted_at.is_(None))
        if exclude_id is not None:
            stmt = stmt.where(Company.id != exclude_id)
        return await self.session.scalar(stmt.limit(1))

    async def find_visible(self, *, name: str | None, domain: str | None, actor: Actor) -> Company | None:
        base = select(Company).where(Company.deleted_at.is_(None), visible_filter(Company, actor))
        if domain:
            with contextlib.suppress(ValueError):
                found = await self.session.scalar(base.where(Company.domain == normalise.domain(domain)).limit(1))
                if found is not None:
                    return found
        if name:
            stmt = base.where(func.lower(Company.name) == name.strip().lower()).order_by(Company.created_at)
            return await self.session.scalar(stmt.limit(1))
        return None

    def _filtered(self, actor: Actor, filters: RecordFilters, custom: dict[str, Any], *,
                  deleted: bool = False) -> Select:
        stmt = select(Company).where(visible_filter(Company, actor))
        stmt = stmt.where(Company.deleted_at.is_not(None) if deleted else Company.deleted_at.is_(None))
        stmt = apply_record_filters(stmt, Company, filters)
        if filters.q:
            pattern = like_pattern(filters.q)
            stmt = stmt.where(or_(Company.name.ilike(pattern), Company.domain.ilike(pattern)))
        if custom:
            stmt = stmt.where(customfield_service.filter_clause(Company.custom_fields, "company", custom))
        return stmt

    async def list_page(self, actor: Actor, filters: RecordFilters, custom: dict[str, Any], *, sort: Sort,
                        limit: int, cursor: str | None, deleted: bool = False) -> list[Company]:
        stmt = apply_keyset(self._filtered(actor, filters, custom, deleted=deleted), sort, Company.id,
                            limit=limit, cursor=cursor)
        return list(await self.session.scalars(stmt))

    async def stream(self, actor: Actor, filters: RecordFilters, custom: dict[str, Any], *, sort: Sort,
                     batch: int = 1000) -> AsyncIterator[Company]:
        """Every matching company, fetched in keyset batches (no long-held cursor)."""
        cursor: str | None = None
        while True:
            rows = await self.list_page(actor, filters, custom, sort=sort, limit=batch, cursor=cursor)
            for row in rows[:batch]:
                yield row
            if len(rows) <= batch:
                return
            _, cursor = keyset_page(rows, sort, limit=batch)

    async def names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        if not ids:
            return {}
        rows = await self.session.execute(select(Company.id, Company.name).where(Company.id.in_(ids)))
        return {row.id: row.name for row in rows}
