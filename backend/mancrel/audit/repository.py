import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit.models import AuditEntry
from mancrel.audit.schemas import AuditFilters
from mancrel.core.pagination import after, decode_cursor


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_page(self, filters: AuditFilters, *, limit: int, cursor: str | None) -> list[AuditEntry]:
        """Newest first, up to `limit + 1` entries after `cursor`."""
        stmt = select(AuditEntry).order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc()).limit(limit + 1)
        for column, value in ((AuditEntry.entity_type, filters.entity_type),
                              (AuditEntry.entity_id, filters.entity_id),
                              (AuditEntry.actor_id, filters.actor_id),
                              (AuditEntry.action, filters.action)):
            if value is not None:
                stmt = stmt.where(column == value)
        if filters.since:
            stmt = stmt.where(AuditEntry.occurred_at >= filters.since)
        if filters.until:
            stmt = stmt.where(AuditEntry.occurred_at < filters.until)
        if cursor:
            values = decode_cursor(cursor, (datetime.fromisoformat, uuid.UUID))
            stmt = stmt.where(after((AuditEntry.occurred_at, AuditEntry.id), values, descending=True))
        return list(await self.session.scalars(stmt))
