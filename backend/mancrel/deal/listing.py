"""The deal list (and export) query: filters, visibility, sort and keyset pages."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from fastapi import Request
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.errors import Forbidden
from mancrel.core.listing import apply_keyset, keyset_page, parse_sort, sort_field
from mancrel.core.permissions import SEES_EVERYTHING, Actor
from mancrel.customfield import service as customfield_service
from mancrel.deal.models import Deal
from mancrel.deal.repository import DealRepository, list_query
from mancrel.deal.schemas import DealFilters, DealPage, DealRead

SORTS = {
    "created_at": sort_field(Deal.created_at, datetime),
    "updated_at": sort_field(Deal.updated_at, datetime),
    "amount": sort_field(Deal.amount, Decimal),
    "title": sort_field(Deal.title, str),
}


def custom_filters(request: Request) -> dict[str, str]:
    """The raw `cf.<field>=value` query parameters."""
    return {k: v for k, v in request.query_params.items() if k.startswith(customfield_service.FILTER_PREFIX)}


async def filtered(session: AsyncSession, filters: DealFilters, custom: dict[str, str], actor: Actor) -> Select:
    """The filtered, visible deals; checks (403, 422) happen here, before anything runs."""
    if filters.deleted and actor.role not in SEES_EVERYTHING:
        raise Forbidden("Only managers and admins see deleted deals.")
    typed = await customfield_service.parse_filters(session, object_type="deal", params=custom)
    clause = customfield_service.filter_clause(Deal.custom_fields, "deal", typed) if typed else None
    return list_query(filters, actor, clause)


async def page(session: AsyncSession, *, filters: DealFilters, custom: dict[str, str], actor: Actor,
               limit: int, cursor: str | None) -> DealPage:
    sort = parse_sort(filters.sort, SORTS)
    stmt = apply_keyset(await filtered(session, filters, custom, actor), sort, Deal.id, limit=limit, cursor=cursor)
    rows = await DealRepository(session).page(stmt)
    items, next_cursor = keyset_page(rows, sort, limit=limit)
    return DealPage(items=[DealRead.model_validate(d) for d in items], next_cursor=next_cursor)


def ordered(stmt: Select, filters: DealFilters) -> Any:
    sort = parse_sort(filters.sort, SORTS)
    columns = (sort.field.column, Deal.id)
    return stmt.order_by(*[c.desc() for c in columns] if sort.descending else columns)
