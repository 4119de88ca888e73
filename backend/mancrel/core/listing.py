"""Sortable keyset lists: `sort=field` or `sort=-field`, always tie-broken by id.

A list declares which fields it may be sorted by (each a NOT NULL column, so the keyset
comparison is total); the cursor holds the last row's sort value and id.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select

from mancrel.core.errors import InvalidInput
from mancrel.core.pagination import after, decode_cursor, page_of

PARSERS: dict[type, Callable[[str], Any]] = {
    datetime: datetime.fromisoformat, Decimal: Decimal, str: str, int: int, uuid.UUID: uuid.UUID,
}


@dataclass(frozen=True)
class SortField:
    column: Any
    parser: Callable[[str], Any]
    attr: str  # the attribute read off a row to build the next cursor


@dataclass(frozen=True)
class Sort:
    field: SortField
    descending: bool


def sort_field(column: Any, python_type: type) -> SortField:
    return SortField(column=column, parser=PARSERS[python_type], attr=column.key)


def parse_sort(value: str, fields: dict[str, SortField]) -> Sort:
    name = value.removeprefix("-")
    if name not in fields:
        raise InvalidInput(f"Cannot sort by {name!r}; choose one of {', '.join(sorted(fields))}.",
                           errors=[{"field": "sort", "in": "query", "message": "unknown sort field"}])
    return Sort(field=fields[name], descending=value.startswith("-"))


def apply_keyset(stmt: Select, sort: Sort, id_column: Any, *, limit: int, cursor: str | None) -> Select:
    """Order by (sort column, id) and fetch `limit + 1` rows after `cursor`."""
    columns = (sort.field.column, id_column)
    if cursor:
        values = decode_cursor(cursor, (sort.field.parser, uuid.UUID))
        stmt = stmt.where(after(columns, values, descending=sort.descending))
    order = [c.desc() for c in columns] if sort.descending else list(columns)
    return stmt.order_by(*order).limit(limit + 1)


def keyset_page(rows: Sequence[Any], sort: Sort, *, limit: int) -> tuple[list[Any], str | None]:
    return page_of(rows, limit, key=lambda row: (getattr(row, sort.field.attr), row.id))
