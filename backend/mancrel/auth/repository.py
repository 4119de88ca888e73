"""Every query on refresh tokens."""

import uuid

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.auth.models import RefreshToken
from mancrel.core.db import utcnow


class RefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_locked(self, token_hash: str) -> RefreshToken | None:
        """The token, row-locked: two refreshes with it run one after the other."""
        return await self.session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update())

    async def get(self, token_hash: str) -> RefreshToken | None:
        return await self.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash))

    async def get_of_user(self, token_hash: str, user_id: uuid.UUID) -> RefreshToken | None:
        return await self.session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == token_hash, RefreshToken.user_id == user_id))

    async def revoke_family(self, family_id: uuid.UUID) -> None:
        await self._revoke(RefreshToken.family_id == family_id)

    async def revoke_for_user(self, user_id: uuid.UUID) -> None:
        await self._revoke(RefreshToken.user_id == user_id)

    async def _revoke(self, condition: ColumnElement[bool]) -> None:
        await self.session.execute(
            update(RefreshToken).where(condition, RefreshToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
