import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.pagination import after, decode_cursor
from mancrel.customfield.models import CustomField, ObjectType


class CustomFieldRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, field_id: uuid.UUID) -> CustomField | None:
        return await self.session.get(CustomField, field_id)

    async def get_by_key(self, object_type: ObjectType, key: str) -> CustomField | None:
        stmt = select(CustomField).where(CustomField.object_type == object_type, CustomField.key == key)
        return await self.session.scalar(stmt)

    async def for_object(self, object_type: ObjectType) -> dict[str, CustomField]:
        stmt = select(CustomField).where(CustomField.object_type == object_type)
        return {f.key: f for f in await self.session.scalars(stmt)}

    async def list_page(self, *, object_type: ObjectType | None, limit: int, cursor: str | None) -> list[CustomField]:
        stmt = select(CustomField).order_by(CustomField.object_type, CustomField.position, CustomField.id)
        if object_type is not None:
            stmt = stmt.where(CustomField.object_type == object_type)
        if cursor:
            values = decode_cursor(cursor, (ObjectType, int, uuid.UUID))
            stmt = stmt.where(after((CustomField.object_type, CustomField.position, CustomField.id), values))
        return list(await self.session.scalars(stmt.limit(limit + 1)))
