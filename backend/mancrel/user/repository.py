import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.pagination import after, decode_cursor
from mancrel.core.permissions import Role
from mancrel.user.models import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email.strip().lower()))

    async def list_page(self, *, limit: int, cursor: str | None) -> list[User]:
        """Up to `limit + 1` users in creation order, after `cursor`."""
        stmt = select(User).order_by(User.created_at, User.id).limit(limit + 1)
        if cursor:
            values = decode_cursor(cursor, (datetime.fromisoformat, uuid.UUID))
            stmt = stmt.where(after((User.created_at, User.id), values))
        return list(await self.session.scalars(stmt))

    async def list_active(self) -> list[User]:
        stmt = select(User).where(User.is_active).order_by(User.full_name, User.email)
        return list(await self.session.scalars(stmt))

    async def count_active_admins(self) -> int:
        stmt = select(func.count()).select_from(User).where(User.role == Role.admin, User.is_active)
        return await self.session.scalar(stmt) or 0
