"""Sign-in, token rotation and sign-out. Flushes, never commits."""

import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.auth import ratelimit
from mancrel.auth.exceptions import InvalidCredentials, InvalidRefreshToken, RefreshTokenReused
from mancrel.auth.models import RefreshToken
from mancrel.auth.schemas import TokenPair
from mancrel.core.config import get_settings
from mancrel.core.db import utcnow
from mancrel.core.security import create_access_token, new_opaque_token, token_digest, verify_password
from mancrel.user import service as user_service
from mancrel.user.models import User


async def login(session: AsyncSession, *, email: str, password: str, client_ip: str) -> TokenPair:
    await ratelimit.check_allowed(email, client_ip)
    user = await user_service.get_by_email(session, email)
    password_ok = verify_password(password, user.password_hash if user else None)
    if user is None or not password_ok or not user.is_active:
        await ratelimit.record_failure(email, client_ip)
        # One answer whatever went wrong: nobody learns which emails have accounts.
        raise InvalidCredentials("The email or password is not right.")
    await ratelimit.clear_email_failures(email)
    return await _issue(session, user, family_id=uuid.uuid4())


async def refresh(session: AsyncSession, *, refresh_token: str) -> TokenPair:
    token = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_digest(refresh_token)).with_for_update())
    if token is None or token.revoked_at is not None:
        raise InvalidRefreshToken("Please sign in again.")
    if token.rotated_at is not None:
        # A rotated token came back: someone holds a copy. End the whole family so
        # neither the thief nor the user can continue with it.
        await _revoke(session, RefreshToken.family_id == token.family_id)
        raise RefreshTokenReused("This session was ended for your security. Please sign in again.")
    user = await user_service.get(session, token.user_id)
    if token.expires_at <= utcnow() or user is None or not user.is_active:
        raise InvalidRefreshToken("Please sign in again.")
    token.rotated_at = utcnow()
    return await _issue(session, user, family_id=token.family_id)


async def logout(session: AsyncSession, *, user: User, refresh_token: str | None) -> None:
    """End the session the refresh token belongs to (or every session of the user without one)."""
    if refresh_token is None:
        await revoke_all_for_user(session, user_id=user.id)
        return
    token = await session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_digest(refresh_token),
                                   RefreshToken.user_id == user.id))
    if token is not None:
        await _revoke(session, RefreshToken.family_id == token.family_id)


async def revoke_all_for_user(session: AsyncSession, *, user_id: uuid.UUID) -> None:
    await _revoke(session, RefreshToken.user_id == user_id)


async def _revoke(session: AsyncSession, condition) -> None:
    await session.execute(
        update(RefreshToken).where(condition, RefreshToken.revoked_at.is_(None)).values(revoked_at=utcnow()))


async def _issue(session: AsyncSession, user: User, *, family_id: uuid.UUID) -> TokenPair:
    settings = get_settings()
    raw = new_opaque_token()
    session.add(RefreshToken(user_id=user.id, family_id=family_id, token_hash=token_digest(raw),
                             expires_at=utcnow() + timedelta(days=settings.refresh_token_days)))
    await session.flush()
    access, expires_in = create_access_token(user.id, user.role)
    return TokenPair(access_token=access, refresh_token=raw, expires_in=expires_in)
