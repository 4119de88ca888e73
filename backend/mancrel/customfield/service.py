"""Custom field definitions, and the validation and filtering of their values on records.

Values live in each record's JSONB `custom_fields` as JSON natives: text and select as
strings, number as a number, date as an ISO string, boolean as true/false.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import and_, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from mancrel.audit import service as audit_service
from mancrel.core.types import no_nul, parse_decimal
from mancrel.customfield.exceptions import CustomFieldKeyTaken, InvalidCustomFieldValue
from mancrel.customfield.models import CustomField, FieldType, ObjectType
from mancrel.customfield.repository import CustomFieldRepository
from mancrel.customfield.schemas import CustomFieldCreate, CustomFieldUpdate

FILTER_PREFIX = "cf."
# Numbers are stored as JSON numbers: 15 significant digits is what a double holds exactly.
NUMBER_DIGITS = 15


def _invalid(key: str, message: str, location: str = "body") -> InvalidCustomFieldValue:
    return InvalidCustomFieldValue(f"custom_fields.{key}: {message}",
                                   errors=[{"field": f"custom_fields.{key}", "in": location, "message": message}])


def _coerce(field: CustomField, value: Any) -> Any:
    """The stored form of `value`, or ValueError saying what the field expects."""
    kind = field.field_type
    if kind == FieldType.text:
        if not isinstance(value, str) or len(value) > 2000:
            raise ValueError("expected text (at most 2000 characters)")
        return no_nul(value)
    if kind == FieldType.number:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError("expected a number")
        try:
            # Bounded before any arithmetic: int(Decimal("1e300000")) took seconds of the event loop.
            number = parse_decimal(str(value), max_digits=NUMBER_DIGITS)
        except ValueError as exc:
            raise ValueError(f"expected a number of at most {NUMBER_DIGITS} digits") from exc
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == FieldType.date:
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise ValueError("expected a date (YYYY-MM-DD)") from exc
    if kind == FieldType.boolean:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ValueError("expected true or false")
    if value not in field.options:
        raise ValueError(f"expected one of {', '.join(map(str, field.options))}")
    return value


async def validate_values(session: AsyncSession, *, object_type: str, values: dict[str, Any],
                          partial: bool = False) -> dict[str, Any]:
    """The values to store; 422 naming the field on an unknown key, bad value or missing required one.

    With `partial` (an update merging into existing values), required fields not given are not
    reported. A None value removes the field.
    """
    fields = await CustomFieldRepository(session).for_object(ObjectType(object_type))
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        field = fields.get(key)
        if field is None:
            raise _invalid(key, f"no such custom field for {object_type}")
        if value is None or value == "":
            if field.required:
                raise _invalid(key, "is required")
            cleaned[key] = None
            continue
        try:
            cleaned[key] = _coerce(field, value)
        except ValueError as exc:
            raise _invalid(key, str(exc)) from exc
    if not partial:
        for key, field in fields.items():
            if field.required and cleaned.get(key) is None:
                raise _invalid(key, "is required")
        cleaned = {k: v for k, v in cleaned.items() if v is not None}
    return cleaned


def merge_values(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Apply validated `changes` (None removes a key) to a record's values."""
    merged = {**current, **changes}
    return {k: v for k, v in merged.items() if v is not None}


async def parse_filters(session: AsyncSession, *, object_type: str, params: dict[str, str]) -> dict[str, Any]:
    """`cf.<key>=<value>` query parameters, typed by the field definitions (422 on an unknown key)."""
    raw = {k.removeprefix(FILTER_PREFIX): v for k, v in params.items() if k.startswith(FILTER_PREFIX)}
    if not raw:
        return {}
    fields = await CustomFieldRepository(session).for_object(ObjectType(object_type))
    typed: dict[str, Any] = {}
    for key, value in raw.items():
        field = fields.get(key)
        if field is None:
            raise _invalid(key, f"no such custom field for {object_type}", "query")
        try:
            typed[key] = _coerce(field, value)
        except ValueError as exc:
            raise _invalid(key, str(exc), "query") from exc
    return typed


def filter_clause(column: Any, object_type: str, filters: dict[str, Any]) -> ColumnElement[bool]:
    """Rows whose custom values equal every filter (typed by `parse_filters`).

    JSONB containment, so the GIN (jsonb_path_ops) index on `custom_fields` serves it.
    `object_type` is accepted for symmetry with `parse_filters`; the keys were checked there.
    """
    if not filters:
        return true()
    return and_(*[column.contains({key: value}) for key, value in filters.items()])


async def create(session: AsyncSession, *, data: CustomFieldCreate, actor: Any) -> CustomField:
    repo = CustomFieldRepository(session)
    if await repo.get_by_key(data.object_type, data.key):
        raise CustomFieldKeyTaken(f"{data.object_type} already has a field {data.key!r}.")
    field = CustomField(**data.model_dump())
    session.add(field)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise CustomFieldKeyTaken(f"{data.object_type} already has a field {data.key!r}.") from exc
    await audit_service.record(session, actor=actor, action="custom_field.created", entity_type="custom_field",
                               entity_id=field.id, after=audit_service.snapshot(field))
    return field


async def update(session: AsyncSession, *, field: CustomField, data: CustomFieldUpdate, actor: Any) -> CustomField:
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "options" in changes and field.field_type != FieldType.select:
        raise InvalidCustomFieldValue("Only select fields have options.",
                                      errors=[{"field": "options", "in": "body", "message": "not a select field"}])
    if "options" in changes and not changes["options"]:
        raise InvalidCustomFieldValue("A select field needs options.",
                                      errors=[{"field": "options", "in": "body", "message": "empty"}])
    before = audit_service.snapshot(field)
    for name, value in changes.items():
        setattr(field, name, value)
    await session.flush()
    old, new = audit_service.changed(before, audit_service.snapshot(field))
    await audit_service.record(session, actor=actor, action="custom_field.updated", entity_type="custom_field",
                               entity_id=field.id, before=old, after=new)
    return field


async def delete(session: AsyncSession, *, field: CustomField, actor: Any) -> None:
    """The definition goes; stored values stay in records (harmless, and back if it is re-created)."""
    await audit_service.record(session, actor=actor, action="custom_field.deleted", entity_type="custom_field",
                               entity_id=field.id, before=audit_service.snapshot(field))
    await session.delete(field)
    await session.flush()


async def get(session: AsyncSession, field_id: uuid.UUID) -> CustomField | None:
    return await CustomFieldRepository(session).get(field_id)


async def list_page(session: AsyncSession, *, object_type: ObjectType | None, limit: int,
                    cursor: str | None) -> list[CustomField]:
    return await CustomFieldRepository(session).list_page(object_type=object_type, limit=limit, cursor=cursor)


async def definitions(session: AsyncSession, *, object_type: str) -> dict[str, CustomField]:
    return await CustomFieldRepository(session).for_object(ObjectType(object_type))
