"""Keyset (cursor) pagination: `limit` and `cursor` in, `items` and `next_cursor` out.

A cursor is the sort key of the last row a client saw, encoded opaquely; the next page
is every row strictly after it. No OFFSET, so page 1,000 costs what page 1 costs.
"""

import base64
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from fastapi import Query
from sqlalchemy import tuple_
from sqlalchemy.sql.elements import ColumnElement

from mancrel.core.errors import InvalidInput
from mancrel.core.types import INT32_MAX, INT32_MIN, NO_NUL_PATTERN, no_nul, parse_decimal, utc_datetime

T = TypeVar("T")

LimitParam = Annotated[int, Query(ge=1, le=200, description="Page size.")]
CursorParam = Annotated[str | None, Query(max_length=1000, pattern=NO_NUL_PATTERN,
                                          description="`next_cursor` from the previous page.")]


class InvalidCursor(InvalidInput):
    title = "Invalid cursor"
    slug = "invalid-cursor"


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([None if v is None else str(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor_int(text: str) -> int:
    if len(text) > 11:  # int() of a long digit string is what a tampered cursor would cost us
        raise ValueError("integer too long")
    value = int(text)
    if not INT32_MIN <= value <= INT32_MAX:
        raise ValueError("integer out of range")
    return value


def _cursor_datetime(text: str) -> datetime:
    return utc_datetime(datetime.fromisoformat(text))


# Parsers lists pass in, replaced by ones that refuse what the database or Python cannot hold:
# a cursor is client input like any other.
_BOUNDED_PARSERS: dict[Any, Callable[[str], Any]] = {
    int: _cursor_int,
    datetime.fromisoformat: _cursor_datetime,
    Decimal: lambda text: parse_decimal(text, max_digits=30),
    str: no_nul,
}
MAX_CURSOR_LENGTH = 1000


def decode_cursor(cursor: str, parsers: Sequence[Callable[[str], Any]]) -> list[Any]:
    """Decode and type the cursor's values; a tampered or stale cursor is a 422, never a 500.

    Fails closed: any error while decoding or parsing (garbage, NUL, a number or date that
    the database cannot hold) is an invalid cursor.
    """
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("cursor too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(raw, list) or len(raw) != len(parsers):
            raise ValueError("wrong length")
        values = []
        for parse, value in zip(parsers, raw, strict=True):
            if value is not None and not isinstance(value, str):
                raise ValueError("cursor values are strings")
            values.append(None if value is None else _BOUNDED_PARSERS.get(parse, parse)(no_nul(value)))
        return values
    except Exception as exc:  # whatever a tampered cursor raises, the answer is the same 422
        raise InvalidCursor("The cursor is not one this list gave out.",
                            errors=[{"field": "cursor", "in": "query", "message": "invalid cursor"}]) from exc


def after(columns: Sequence[Any], values: Sequence[Any], *, descending: bool = False) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order of `columns` (all ascending or all descending)."""
    left, right = tuple_(*columns), tuple_(*values)
    return left < right if descending else left > right


def page_of(rows: Sequence[T], limit: int, key: Callable[[T], Sequence[Any]]) -> tuple[list[T], str | None]:
    """Split `limit + 1` fetched rows into the page and the cursor for the next one."""
    items = list(rows[:limit])
    next_cursor = encode_cursor(key(items[-1])) if len(rows) > limit and items else None
    return items, next_cursor
