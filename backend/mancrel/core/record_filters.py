"""List filters every CRM record shares: owner, tag, created/updated ranges, custom fields.

`RecordFiltersDep` reads them from the query string (custom fields as `cf.<key>=value`);
`apply_record_filters` turns them into WHERE clauses for any model with the shared columns.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlalchemy import Select

from mancrel.core.types import Text, UtcDateTime
from mancrel.customfield.service import FILTER_PREFIX


@dataclass
class RecordFilters:
    owner_id: uuid.UUID | None = None
    unassigned: bool | None = None
    tag: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    q: str | None = None
    # Raw `cf.<key>` values; typed against the field definitions by customfield_service.parse_filters.
    custom: dict[str, str] = field(default_factory=dict)


def record_filters(
    request: Request,
    owner_id: Annotated[uuid.UUID | None, Query(description="Records owned by this user.")] = None,
    unassigned: Annotated[bool | None, Query(description="Only records without an owner.")] = None,
    tag: Annotated[Text | None, Query(max_length=50)] = None,
    created_after: Annotated[UtcDateTime | None, Query()] = None,
    created_before: Annotated[UtcDateTime | None, Query()] = None,
    updated_after: Annotated[UtcDateTime | None, Query()] = None,
    updated_before: Annotated[UtcDateTime | None, Query()] = None,
    q: Annotated[Text | None, Query(max_length=200, description="Search text.")] = None,
) -> RecordFilters:
    custom = {k: v for k, v in request.query_params.items() if k.startswith(FILTER_PREFIX)}
    return RecordFilters(owner_id=owner_id, unassigned=unassigned, tag=tag.strip() if tag else None,
                         created_after=created_after, created_before=created_before,
                         updated_after=updated_after, updated_before=updated_before,
                         q=q.strip() if q and q.strip() else None, custom=custom)


RecordFiltersDep = Annotated[RecordFilters, Depends(record_filters)]


def apply_record_filters(stmt: Select, model: Any, filters: RecordFilters) -> Select:
    """Owner, tag and time-range clauses; `q` and custom fields are the domain's to apply."""
    if filters.owner_id is not None:
        stmt = stmt.where(model.owner_id == filters.owner_id)
    if filters.unassigned:
        stmt = stmt.where(model.owner_id.is_(None))
    if filters.tag and hasattr(model, "tags"):
        stmt = stmt.where(model.tags.contains([filters.tag]))
    for value, clause in (
        (filters.created_after, lambda v: model.created_at >= v),
        (filters.created_before, lambda v: model.created_at < v),
        (filters.updated_after, lambda v: model.updated_at >= v),
        (filters.updated_before, lambda v: model.updated_at < v),
    ):
        if value is not None:
            stmt = stmt.where(clause(value))
    return stmt


def like_pattern(text: str) -> str:
    """A `%text%` ILIKE pattern with the user's wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
