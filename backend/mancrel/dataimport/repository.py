import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.pagination import after, decode_cursor
from mancrel.core.permissions import Actor, visible_filter
from mancrel.dataimport.models import ImportJob


class ImportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, import_id: uuid.UUID) -> ImportJob | None:
        return await self.session.get(ImportJob, import_id)

    async def get_visible(self, import_id: uuid.UUID, actor: Actor) -> ImportJob | None:
        """Reps see their own imports; managers and admins every import."""
        stmt = select(ImportJob).where(ImportJob.id == import_id, visible_filter(ImportJob, actor))
        return await self.session.scalar(stmt)

    async def list_page(self, actor: Actor, *, limit: int, cursor: str | None) -> list[ImportJob]:
        stmt = (select(ImportJob).where(visible_filter(ImportJob, actor))
                .order_by(ImportJob.created_at.desc(), ImportJob.id.desc()).limit(limit + 1))
        if cursor:
            values = decode_cursor(cursor, (datetime.fromisoformat, uuid.UUID))
            stmt = stmt.where(after((ImportJob.created_at, ImportJob.id), values, descending=True))
        return list(await self.session.scalars(stmt))
