"""Sign-in, token rotation and sign-out. Flushes, never commits."""

import base64
import hashlib
import hmac
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.auth import passwords, ratelimit, sessions
from mancrel.auth.exceptions import (
    InvalidCredentials,
    InvalidRefreshToken,
    RefreshTokenReused,
    SamePassword,
    WrongCurrentPassword,
)
from mancrel.auth.models import RefreshToken
from mancrel.auth.repository import RefreshTokenRepository
from mancrel.auth.schemas import TokenPair
from mancrel.core.config import get_settings
from mancrel.core.db import utcnow
from mancrel.core.security import create_access_token, new_opaque_token, token_digest, verify_password
from mancrel.user import service as user_service
from mancrel.user.models import User
from mancrel.user.schemas import UserUpdate


async def login(session: AsyncSession, *, email: str, password: str, client_ip: str) -> TokenPair:
    await ratelimit.begin_attempt(email, client_ip)
    user = await user_service.get_by_email(session, email)
    password_ok = verify_password(password, user.password_hash if user else None)
    if user is None or not password_ok or not user.is_active:
        # One answer whatever went wrong: nobody learns which emails have accounts.
        raise InvalidCredentials("The email or password is not right.")
    await ratelimit.forgive(email, client_ip)
    return await _issue(session, user, raw=new_opaque_token(), family_id=uuid.uuid4())


def successor_of(refresh_token: str) -> str:
    """The token that replaces `refresh_token` at rotation.

    Derived, not random, so a second refresh with the same token inside the grace period can
    hand back the very token the first one issued (only digests are stored). Only a holder
    of the old token can derive it, and only with the server's secret key.
    """
    key = get_settings().secret_key.encode()
    digest = hmac.new(key, b"refresh-successor:" + refresh_token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def refresh(session: AsyncSession, *, refresh_token: str) -> TokenPair:
    repo = RefreshTokenRepository(session)
    token = await repo.get_locked(token_digest(refresh_token))
    if token is None or token.revoked_at is not None:
        raise InvalidRefreshToken("Please sign in again.")
    successor = successor_of(refresh_token)
    if token.rotated_at is not None:
        if await _in_grace(repo, token, successor):
            # Two tabs (or a retried request) refreshed at the same moment: same new pair.
            user = await _active_user(session, token)
            access, expires_in = create_access_token(user.id, user.role)
            return TokenPair(access_token=access, refresh_token=successor, expires_in=expires_in)
        # A rotated token came back later: someone holds a copy. End the whole family so
        # neither the thief nor the user can continue with it.
        await repo.revoke_family(token.family_id)
        raise RefreshTokenReused("This session was ended for your security. Please sign in again.")
    user = await _active_user(session, token)
    token.rotated_at = utcnow()
    return await _issue(session, user, raw=successor, family_id=token.family_id)


async def _in_grace(repo: RefreshTokenRepository, token: RefreshToken, successor: str) -> bool:
    grace = timedelta(seconds=get_settings().refresh_reuse_grace_seconds)
    if token.rotated_at is None or utcnow() - token.rotated_at > grace:
        return False
    issued = await repo.get(token_digest(successor))
    # Only while the successor is still the live end of the family: once it has been used or
    # revoked, handing it out again would help nobody but a thief.
    return issued is not None and issued.rotated_at is None and issued.revoked_at is None


async def _active_user(session: AsyncSession, token: RefreshToken) -> User:
    user = await user_service.get(session, token.user_id)
    if token.expires_at <= utcnow() or user is None or not user.is_active:
        raise InvalidRefreshToken("Please sign in again.")
    return user


async def logout(session: AsyncSession, *, user: User, refresh_token: str | None) -> None:
    """End the session the refresh token belongs to (or every session of the user without one)."""
    if refresh_token is None:
        await sessions.revoke_all_for_user(session, user_id=user.id)
        return
    repo = RefreshTokenRepository(session)
    token = await repo.get_of_user(token_digest(refresh_token), user.id)
    if token is not None:
        await repo.revoke_family(token.family_id)


async def change_password(session: AsyncSession, *, user: User, current_password: str, new_password: str,
                          client_ip: str) -> TokenPair:
    """The caller's own password, proven by the current one (throttled like sign-in, so a left-open
    tab cannot be used to guess it). Every session of the user ends, on every device; the one that
    asked continues with the new pair returned here."""
    await ratelimit.begin_attempt(user.email, client_ip)
    if not verify_password(current_password, user.password_hash):
        raise WrongCurrentPassword("The current password is not right.", errors=[
            {"field": "current_password", "in": "body", "message": "not right"}])
    await ratelimit.forgive(user.email, client_ip)
    if new_password == current_password:
        raise SamePassword("Choose a password different from the current one.", errors=[
            {"field": "new_password", "in": "body", "message": "same as the current one"}])
    reason = passwords.weakness(new_password, email=user.email)
    if reason:
        raise passwords.WeakPassword(reason, errors=[{"field": "new_password", "in": "body", "message": reason}])
    # user.service sets the hash, audits "user.updated" and revokes every refresh token of the user.
    await user_service.update(session, user=user, data=UserUpdate(password=new_password), actor=user)
    return await _issue(session, user, raw=new_opaque_token(), family_id=uuid.uuid4())


async def _issue(session: AsyncSession, user: User, *, raw: str, family_id: uuid.UUID) -> TokenPair:
    settings = get_settings()
    session.add(RefreshToken(user_id=user.id, family_id=family_id, token_hash=token_digest(raw),
                             expires_at=utcnow() + timedelta(days=settings.refresh_token_days)))
    await session.flush()
    access, expires_in = create_access_token(user.id, user.role)
    return TokenPair(access_token=access, refresh_token=raw, expires_in=expires_in)
