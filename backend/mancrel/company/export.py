"""Companies as CSV: the list's filters and visibility, streamed in keyset batches."""

from collections.abc import AsyncIterator
from typing import Any

from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.company.repository import CompanyRepository
from mancrel.core.csv_export import stream_csv
from mancrel.core.export import reading_session
from mancrel.core.listing import Sort
from mancrel.core.permissions import Actor
from mancrel.core.record_filters import RecordFilters
from mancrel.customfield import service as customfield_service

COLUMNS = ["id", "name", "domain", "industry", "size", "address", "tags", "owner_id", "created_at", "updated_at"]


async def export_companies(session: AsyncSession, *, actor: Actor, filters: RecordFilters,
                           sort: Sort) -> StreamingResponse:
    # Filters are checked before the first byte, so a bad one is still a 422.
    custom = await customfield_service.parse_filters(session, object_type="company", params=filters.custom)
    custom_keys = sorted((await customfield_service.definitions(session, object_type="company")).keys())

    async def rows() -> AsyncIterator[list[Any]]:
        async with reading_session(session) as reader:
            async for company in CompanyRepository(reader).stream(actor, filters, custom, sort=sort):
                yield [getattr(company, c) for c in COLUMNS] + [company.custom_fields.get(k) for k in custom_keys]

    return stream_csv(COLUMNS + [f"cf.{k}" for k in custom_keys], rows(), filename="companies.csv")
