"""Small factories shared by every domain's tests."""

import itertools

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.permissions import Role
from mancrel.core.security import create_access_token
from mancrel.user import service as user_service
from mancrel.user.models import User
from mancrel.user.schemas import UserCreate

DEFAULT_PASSWORD = "correct-horse-battery"
_sequence = itertools.count(1)


async def make_user(session: AsyncSession, *, role: Role = Role.rep, email: str | None = None,
                    password: str = DEFAULT_PASSWORD, full_name: str | None = None,
                    is_active: bool = True) -> User:
    n = next(_sequence)
    data = UserCreate(email=email or f"user{n}@example.com", password=password,
                      full_name=full_name or f"User {n}", role=role, is_active=is_active)
    return await user_service.create(session, data=data)


def auth_headers(user: User) -> dict[str, str]:
    token, _ = create_access_token(user.id, user.role)
    return {"Authorization": f"Bearer {token}"}
