"""The suggestions' audit as CSV for a date range (admins): one line per recorded step, its data
as JSON, streamed in keyset batches."""

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.csv_export import stream_csv
from mancrel.core.errors import InvalidInput
from mancrel.core.export import reading_session
from mancrel.reply.repository import SuggestionRepository

COLUMNS = ["occurred_at", "suggestion_id", "action", "actor_id", "actor_email", "data"]


def export_audit(session: AsyncSession, *, since: datetime, until: datetime) -> StreamingResponse:
    if until <= since:
        raise InvalidInput("`until` must be after `since`.",
                           errors=[{"field": "until", "in": "query", "message": "not after since"}])

    async def rows() -> AsyncIterator[list[Any]]:
        async with reading_session(session) as reader:
            async for row in SuggestionRepository(reader).audit_between(since, until):
                yield [row.occurred_at, row.suggestion_id, row.action, row.actor_id, row.actor_email,
                       json.dumps(row.data, sort_keys=True, ensure_ascii=False)]

    return stream_csv(COLUMNS, rows(), filename=f"suggestion-audit-{since:%Y%m%d}-{until:%Y%m%d}.csv")
