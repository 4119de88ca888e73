import uuid
from datetime import datetime

from sqlalchemy import Row, String, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.pagination import after
from mancrel.core.permissions import Actor
from mancrel.timeline.sources import SOURCES, EntityType


class TimelineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(self, entity_type: EntityType, entity_id: uuid.UUID, actor: Actor, *, limit: int,
                   after_key: tuple[datetime, uuid.UUID] | None) -> list[Row]:
        """Up to `limit + 1` (at, id, kind) newest first across every source.

        Each source is cut to `limit + 1` rows after the cursor on its own index before the
        merge, so a long history costs what a short one does.
        """
        parts = []
        for source in SOURCES:
            stmt = source.query(entity_type, entity_id, actor)
            if stmt is None:
                continue
            at, row_id = stmt.selected_columns.at, stmt.selected_columns.id
            if after_key is not None:
                stmt = stmt.where(after((at, row_id), after_key, descending=True))
            stmt = stmt.add_columns(literal(source.kind, String).label("kind"))
            parts.append(stmt.order_by(at.desc(), row_id.desc()).limit(limit + 1).subquery().select())
        merged = union_all(*parts).subquery()
        return list(await self.session.execute(
            select(merged.c.at, merged.c.id, merged.c.kind)
            .order_by(merged.c.at.desc(), merged.c.id.desc()).limit(limit + 1)))
