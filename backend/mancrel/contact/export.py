"""Contacts as CSV: the list's filters (q included) and visibility, streamed in keyset batches."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.company.repository import CompanyRepository
from mancrel.contact.models import LifecycleStage
from mancrel.contact.repository import ContactRepository
from mancrel.core.csv_export import stream_csv
from mancrel.core.export import reading_session
from mancrel.core.listing import Sort
from mancrel.core.permissions import Actor
from mancrel.core.record_filters import RecordFilters
from mancrel.customfield import service as customfield_service

COLUMNS = ["id", "first_name", "last_name", "title", "emails", "phones", "company_id", "lifecycle_stage", "tags",
           "source", "owner_id", "last_contacted_at", "created_at", "updated_at"]


async def export_contacts(session: AsyncSession, *, actor: Actor, filters: RecordFilters, sort: Sort,
                          lifecycle: LifecycleStage | None, company_id: uuid.UUID | None) -> StreamingResponse:
    # Filters are checked before the first byte, so a bad one is still a 422.
    custom = await customfield_service.parse_filters(session, object_type="contact", params=filters.custom)
    custom_keys = sorted((await customfield_service.definitions(session, object_type="contact")).keys())

    async def rows() -> AsyncIterator[list[Any]]:
        async with reading_session(session) as reader:
            companies, batch = CompanyRepository(reader), []
            async for contact in ContactRepository(reader).stream(actor, filters, custom, sort=sort,
                                                                  lifecycle=lifecycle, company_id=company_id):
                batch.append(contact)
                if len(batch) >= 500:
                    for row in await _rows(companies, batch, custom_keys):
                        yield row
                    batch = []
            for row in await _rows(companies, batch, custom_keys):
                yield row

    header = [*COLUMNS[:7], "company_name", *COLUMNS[7:], *(f"cf.{k}" for k in custom_keys)]
    return stream_csv(header, rows(), filename="contacts.csv")


async def _rows(companies: CompanyRepository, contacts: list[Any], custom_keys: list[str]) -> list[list[Any]]:
    names = await companies.names({c.company_id for c in contacts if c.company_id})
    out = []
    for c in contacts:
        values = [getattr(c, name) for name in COLUMNS]
        out.append([*values[:7], names.get(c.company_id, ""), *values[7:],
                    *(c.custom_fields.get(k) for k in custom_keys)])
    return out
