"""Deals as CSV: the list's filters and visibility, streamed in batches, formulas neutralised."""

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.csv_export import stream_csv
from mancrel.core.export import reading_session
from mancrel.core.permissions import Actor
from mancrel.deal import listing
from mancrel.deal.repository import DealRepository
from mancrel.deal.schemas import DealFilters

COLUMNS = ["id", "title", "status", "amount", "currency", "pipeline_id", "stage_id", "contact_id",
           "company_id", "owner_id", "expected_close_date", "lost_reason", "closed_at", "created_at",
           "updated_at", "custom_fields"]


async def export(session: AsyncSession, *, filters: DealFilters, custom: dict[str, str],
                 actor: Actor) -> StreamingResponse:
    """Checks the filters now (a bad one is a problem response, not a broken download); the
    rows are read while the body streams, through a reading session of their own."""
    stmt = listing.ordered(await listing.filtered(session, filters, custom, actor), filters)

    async def rows() -> AsyncIterator[list[Any]]:
        async with reading_session(session) as reader:
            async for deal in DealRepository(reader).stream(stmt):
                yield [getattr(deal, c) for c in COLUMNS[:-1]] + [json.dumps(deal.custom_fields or {}, sort_keys=True)]

    return stream_csv(COLUMNS, rows(), filename="deals.csv")
