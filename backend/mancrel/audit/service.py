"""The audit helper every domain calls on each change. Flushes nothing itself: the entry
commits or rolls back with the change it describes."""

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit.models import AuditEntry
from mancrel.audit.repository import AuditRepository
from mancrel.audit.schemas import AuditFilters
from mancrel.core.logging import request_id_var

# Never copied into the log, whatever the entity.
SECRET_FIELDS = {"password_hash", "password", "webhook_secret", "secret", "token", "credentials"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: Any, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """JSON-safe column values of an ORM object (secrets left out), for before/after."""
    mapper = inspect(obj).mapper
    names = list(fields) if fields is not None else [c.key for c in mapper.column_attrs]
    return {name: _jsonable(getattr(obj, name)) for name in names
            if name not in SECRET_FIELDS and not any(s in name for s in ("secret", "password"))}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, so an entry shows what the change was."""
    keys = {k for k in before.keys() | after.keys()
            if before.get(k) != after.get(k) and k not in ("updated_at", "version")}
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


async def record(session: AsyncSession, *, actor: Any | None, action: str, entity_type: str,
                 entity_id: uuid.UUID | str | None, before: dict[str, Any] | None = None,
                 after: dict[str, Any] | None = None) -> AuditEntry:
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", None),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id) if entity_id is not None else None,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        request_id=request_id_var.get(),
    )
    session.add(entry)
    return entry


async def list_entries(session: AsyncSession, filters: AuditFilters, *, limit: int,
                       cursor: str | None) -> list[AuditEntry]:
    return await AuditRepository(session).list_page(filters, limit=limit, cursor=cursor)
