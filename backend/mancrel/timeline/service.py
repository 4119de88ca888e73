"""Timelines: what happened on a contact, company or deal, newest first."""

import uuid
from collections import defaultdict
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.pagination import decode_cursor, encode_cursor
from mancrel.core.permissions import Actor
from mancrel.timeline.repository import TimelineRepository
from mancrel.timeline.schemas import TimelineEntry, TimelinePage
from mancrel.timeline.sources import SOURCES, EntityType


async def page(session: AsyncSession, *, entity_type: EntityType, entity_id: uuid.UUID, actor: Actor,
               limit: int, cursor: str | None) -> TimelinePage:
    """The caller must already have been shown the entity (its visibility is the router's check)."""
    after_key = tuple(decode_cursor(cursor, (datetime.fromisoformat, uuid.UUID))) if cursor else None
    rows = await TimelineRepository(session).page(entity_type, entity_id, actor, limit=limit,
                                                  after_key=after_key)  # type: ignore[arg-type]
    rows_page = rows[:limit]
    by_kind: dict[str, list[uuid.UUID]] = defaultdict(list)
    for row in rows_page:
        by_kind[row.kind].append(row.id)
    loaded = {}
    for source in SOURCES:
        if by_kind.get(source.kind):
            loaded[source.kind] = await source.load(session, by_kind[source.kind])
    items = [TimelineEntry(kind=row.kind, id=row.id, at=row.at, data=loaded[row.kind][row.id]) for row in rows_page]
    next_cursor = encode_cursor((rows_page[-1].at.isoformat(), rows_page[-1].id)) if len(rows) > limit else None
    return TimelinePage(items=items, next_cursor=next_cursor)
