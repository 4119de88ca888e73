"""Streaming CSV downloads that a spreadsheet cannot turn into formulas.

A cell starting with = + - @ (or tab / carriage return) is run as a formula by Excel,
LibreOffice and Google Sheets (CSV injection); such cells get a leading apostrophe, which
the spreadsheet shows as plain text.
"""

import csv
import io
from collections.abc import AsyncIterator, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi.responses import StreamingResponse

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        text = value.isoformat()
    elif isinstance(value, Decimal):
        return str(value)  # numbers stay numbers: "-12.50" is a value, not a formula
    elif isinstance(value, list | tuple):
        text = "; ".join(str(v) for v in value)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def _line(row: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell(v) for v in row])
    return buffer.getvalue()


async def _chunks(header: list[str], rows: AsyncIterator[list[Any]]) -> AsyncIterator[str]:
    # A BOM lets Excel read the file as UTF-8.
    chunk = ["\ufeff" + _line(header)]
    async for row in rows:
        chunk.append(_line(row))
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def stream_csv(header: list[str], rows: AsyncIterator[list[Any]], *, filename: str = "export.csv") -> StreamingResponse:
    return StreamingResponse(
        _chunks(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
