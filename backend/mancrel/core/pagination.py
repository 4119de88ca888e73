"""Keyset (cursor) pagination: `limit` and `cursor` in, `items` and `next_cursor` out.

A cursor is the sort key of the last row a client saw, encoded opaquely; the next page
is every row strictly after it. No OFFSET, so page 1,000 costs what page 1 costs.
"""

import base64
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query
from sqlalchemy import tuple_
from sqlalchemy.sql.elements import ColumnElement

from mancrel.core.errors import InvalidInput

T = TypeVar("T")

LimitParam = Annotated[int, Query(ge=1, le=200, description="Page size.")]
CursorParam = Annotated[str | None, Query(description="`next_cursor` from the previous page.")]


class InvalidCursor(InvalidInput):
    title = "Invalid cursor"
    slug = "invalid-cursor"


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([None if v is None else str(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, parsers: Sequence[Callable[[str], Any]]) -> list[Any]:
    """Decode and type the cursor's values; a tampered or stale cursor is a 422, never a 500."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(raw, list) or len(raw) != len(parsers):
            raise ValueError("wrong length")
        return [None if v is None else parse(v) for parse, v in zip(parsers, raw, strict=True)]
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
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
