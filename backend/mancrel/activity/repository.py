import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity.models import Activity
from mancrel.core.permissions import Actor, visible_filter


def list_query(filters: Any, actor: Actor) -> Select:
    stmt = select(Activity).where(visible_filter(Activity, actor))
    stmt = stmt.where(Activity.deleted_at.is_not(None) if filters.deleted else Activity.deleted_at.is_(None))
    for name in ("type", "owner_id", "assignee_id", "contact_id", "company_id", "deal_id"):
        value = getattr(filters, name)
        if value is not None:
            stmt = stmt.where(getattr(Activity, name) == value)
    if filters.done is not None:
        stmt = stmt.where(Activity.done_at.is_not(None) if filters.done else Activity.done_at.is_(None))
    ranges = [(filters.due_after, Activity.due_at, True), (filters.due_before, Activity.due_at, False),
              (filters.created_after, Activity.created_at, True), (filters.created_before, Activity.created_at, False),
              (filters.updated_after, Activity.updated_at, True), (filters.updated_before, Activity.updated_at, False)]
    for value, column, lower in ranges:
        if value is not None:
            stmt = stmt.where(column >= value if lower else column < value)
    if filters.q:
        escaped = filters.q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Activity.subject.ilike(f"%{escaped}%"))
    return stmt


class ActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_visible(self, activity_id: uuid.UUID, actor: Actor, *,
                          include_deleted: bool = False) -> Activity | None:
        stmt = select(Activity).where(Activity.id == activity_id, visible_filter(Activity, actor))
        if not include_deleted:
            stmt = stmt.where(Activity.deleted_at.is_(None))
        return await self.session.scalar(stmt)

    async def page(self, stmt: Select) -> list[Activity]:
        return list(await self.session.scalars(stmt))

    async def open_tasks(self, assignee_id: uuid.UUID, *, due_from: datetime | None, due_before: datetime | None,
                         limit: int) -> list[Activity]:
        """Not-done activities with a due time assigned to one person, soonest first."""
        stmt = (select(Activity)
                .where(Activity.assignee_id == assignee_id, Activity.done_at.is_(None),
                       Activity.deleted_at.is_(None), Activity.due_at.is_not(None))
                .order_by(Activity.due_at, Activity.id).limit(limit))
        if due_from is not None:
            stmt = stmt.where(Activity.due_at >= due_from)
        if due_before is not None:
            stmt = stmt.where(Activity.due_at < due_before)
        return list(await self.session.scalars(stmt))

    async def ids_for_contact(self, contact_id: uuid.UUID, actor: Actor | None = None) -> list[uuid.UUID]:
        """Ids of the contact's activities (deleted ones too), only those `actor` may see when given."""
        stmt = select(Activity.id).where(Activity.contact_id == contact_id)
        if actor is not None:
            stmt = stmt.where(visible_filter(Activity, actor))
        return list(await self.session.scalars(stmt))

    async def set_contact(self, ids: list[uuid.UUID], contact_id: uuid.UUID) -> None:
        if ids:
            await self.session.execute(
                update(Activity).where(Activity.id.in_(ids))
                .values(contact_id=contact_id, version=Activity.version + 1)
                .execution_options(synchronize_session="fetch"))
