"""Small facts the installation keeps about itself (e.g. whether demo data was loaded)."""

from datetime import datetime
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, utcnow


class AppState(Base):
    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


async def get_state(session: AsyncSession, key: str) -> Any:
    return await session.scalar(select(AppState.value).where(AppState.key == key))


async def set_state(session: AsyncSession, key: str, value: Any) -> None:
    stmt = insert(AppState).values(key=key, value=value, updated_at=utcnow())
    await session.execute(stmt.on_conflict_do_update(
        index_elements=[AppState.key], set_={"value": value, "updated_at": utcnow()}))
