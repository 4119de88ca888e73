"""User administration. Flushes, never commits."""

import secrets
import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.auth import passwords
from mancrel.auth import sessions as auth_sessions
from mancrel.core.errors import Conflict
from mancrel.core.permissions import Role
from mancrel.core.security import hash_password
from mancrel.user.exceptions import EmailTaken
from mancrel.user.models import User
from mancrel.user.repository import UserRepository
from mancrel.user.schemas import UserCreate, UserUpdate


class LastAdmin(Conflict):
    title = "The last admin cannot be removed"
    slug = "last-admin"


async def create(session: AsyncSession, *, data: UserCreate, actor: User | None = None) -> User:
    repo = UserRepository(session)
    if await repo.get_by_email(data.email):
        raise EmailTaken(f"A user with email {data.email} already exists.")
    passwords.check(data.password, email=data.email)
    user = User(email=data.email, password_hash=hash_password(data.password), full_name=data.full_name,
                role=data.role, is_active=data.is_active)
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent create won the race
        raise EmailTaken(f"A user with email {data.email} already exists.") from exc
    await audit_service.record(session, actor=actor, action="user.created", entity_type="user",
                               entity_id=user.id, after=audit_service.snapshot(user))
    return user


async def update(session: AsyncSession, *, user: User, data: UserUpdate, actor: User) -> User:
    changes = data.model_dump(exclude_unset=True)
    before = audit_service.snapshot(user)
    if changes.get("email") is not None and changes["email"] != user.email:  # null: unchanged, as below
        other = await UserRepository(session).get_by_email(changes["email"])
        if other is not None:
            raise EmailTaken(f"A user with email {changes['email']} already exists.")
    loses_admin = user.role == Role.admin and (
        changes.get("role", Role.admin) != Role.admin or changes.get("is_active") is False)
    if loses_admin and user.is_active and await UserRepository(session).count_active_admins() <= 1:
        raise LastAdmin("Make another user an admin first.")

    password = changes.pop("password", None)
    if password:
        passwords.check(password, email=changes.get("email") or user.email)
    for field, value in changes.items():
        if value is not None:
            setattr(user, field, value)
    if password:
        user.password_hash = hash_password(password)
    if password or changes.get("is_active") is False:
        # Existing sessions end: access tokens are checked against is_active on every request,
        # and refresh tokens are revoked here.
        await auth_sessions.revoke_all_for_user(session, user_id=user.id)
    await session.flush()
    old, new = audit_service.changed(before, audit_service.snapshot(user))
    if password:
        new["password"] = "changed"  # that it changed, never what to
    await audit_service.record(session, actor=actor, action="user.updated", entity_type="user",
                               entity_id=user.id, before=old, after=new)
    return user


async def ensure_first_admin(session: AsyncSession, *, email: str, password: str | None) -> str | None:
    """Create the first admin when there is none. Returns a generated password to print once."""
    repo = UserRepository(session)
    if await repo.count_active_admins() > 0 or await repo.get_by_email(email):
        return None
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(12)
    await create(session, data=UserCreate(email=email, password=password, full_name="Administrator",
                                          role=Role.admin))
    return generated


async def get(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await UserRepository(session).get(user_id)


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    return await UserRepository(session).get_by_email(email)


async def list_active(session: AsyncSession) -> list[User]:
    return await UserRepository(session).list_active()


async def list_page(session: AsyncSession, *, limit: int, cursor: str | None) -> list[User]:
    return await UserRepository(session).list_page(limit=limit, cursor=cursor)
