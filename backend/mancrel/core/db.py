"""Engine, sessions and the one-transaction-per-unit-of-work rule.

A request or a task gets one session; it commits once at the end (or rolls back on
error), then runs the callbacks registered with `after_commit` (for example publishing
outbox jobs), which must only happen once the data they refer to is visible.
"""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends
from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from mancrel.core.config import get_settings
from mancrel.core.errors import AppError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), default=utcnow, onupdate=utcnow
    )


_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None


def init_engine(url: str | None = None) -> AsyncEngine:
    """Create this process's engine (the API at start-up, each worker process at init)."""
    global _engine, _sessionmaker
    settings = get_settings()
    _engine = create_async_engine(
        url or settings.async_database_url,
        pool_size=settings.db_pool_size,
        pool_pre_ping=True,
    )
    _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    return _engine


def get_engine() -> AsyncEngine:
    return _engine or init_engine()


def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    if _sessionmaker is None:
        init_engine()
    assert _sessionmaker is not None
    return _sessionmaker


async def dispose_engine() -> None:
    global _engine, _sessionmaker
    if _engine is not None:
        await _engine.dispose()
    _engine, _sessionmaker = None, None


AfterCommit = Callable[[], Awaitable[None]]


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run `callback` once the session's transaction has committed (never on rollback)."""
    session.info.setdefault("after_commit", []).append(callback)


async def commit(session: AsyncSession) -> None:
    """Commit, then run the after-commit callbacks registered during the unit of work."""
    await session.commit()
    callbacks = session.info.pop("after_commit", [])
    for callback in callbacks:
        await callback()


@asynccontextmanager
async def transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """Commit on success, roll back (and drop the callbacks) on error.

    An `AppError` with `keeps_changes` still commits what was written before it.
    """
    try:
        yield session
        await commit(session)
    except AppError as exc:
        if exc.keeps_changes:
            await commit(session)
        else:
            await _rollback(session)
        raise
    except BaseException:
        await _rollback(session)
        raise


@asynccontextmanager
async def savepoint(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """A part of the unit of work that may fail alone (one delivery of a batch): on error its writes
    roll back to the savepoint, and so does the unit-of-work state it registered (after-commit
    callbacks, pending outbox jobs), so nothing is published for what was never committed. The
    error propagates; the transaction goes on."""
    kept = {key: list(value) if isinstance(value, list) else value for key, value in session.info.items()}
    try:
        async with session.begin_nested():
            yield session
    except BaseException:
        session.info.clear()
        session.info.update(kept)
        raise


async def _rollback(session: AsyncSession) -> None:
    # session.info holds only unit-of-work state (after-commit callbacks, pending outbox
    # jobs); none of it may outlive a rollback.
    session.info.clear()
    await session.rollback()


@asynccontextmanager
async def unit_of_work() -> AsyncIterator[AsyncSession]:
    """A new session in one transaction: the unit of work of a request or a task."""
    async with get_sessionmaker()() as session, transaction(session):
        yield session


async def get_session() -> AsyncIterator[AsyncSession]:
    async with unit_of_work() as session:
        yield session


# scope="function": commit before the response goes out, so a failed commit is never a 2xx.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
