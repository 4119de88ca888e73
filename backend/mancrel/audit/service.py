"""The audit helper every domain calls on each change. Flushes nothing itself: the entry
commits or rolls back with the change it describes.

Secrets never reach the log. A model names its secret columns in a class attribute,
whatever they are called (ciphertexts, hashes, tokens):

    class Channel(UUIDPrimaryKey, Timestamps, Base):
        SECRET_FIELDS = ("secrets_encrypted",)

`snapshot` leaves those columns out, asked for by name or not. A name-based guess would
miss the next `*_encrypted` or `*_key` column, so the list is explicit and
tests/audit/test_secrets.py holds every mapped model to it: a column whose name looks like
a secret and is not declared fails that test. A caller that changes a secret records that
it changed (e.g. `"webhook_secret": "rotated"`), never its value.
"""

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


def secret_fields(model: type) -> frozenset[str]:
    """The columns `model` declares secret (its `SECRET_FIELDS`), never copied into the log."""
    return frozenset(getattr(model, "SECRET_FIELDS", ()))


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
    """JSON-safe column values of an ORM object, its declared secrets left out, for before/after."""
    mapper = inspect(obj).mapper
    names = list(fields) if fields is not None else [c.key for c in mapper.column_attrs]
    hidden = secret_fields(mapper.class_)
    return {name: _jsonable(getattr(obj, name)) for name in names if name not in hidden}


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
