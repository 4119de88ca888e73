"""Ending a user's sessions: the part of auth that other domains call.

Kept apart from sign-in (auth.service, which looks users up through user.service) so that
user.service can end sessions when a password changes or an account is deactivated without
the two services importing each other.
"""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.auth.repository import RefreshTokenRepository


async def revoke_all_for_user(session: AsyncSession, *, user_id: uuid.UUID) -> None:
    """Every refresh token of the user stops working; access tokens lapse within minutes,
    and sooner where the caller is deactivated (checked on every request)."""
    await RefreshTokenRepository(session).revoke_for_user(user_id)
