"""Test harness: real embedded PostgreSQL and Valkey in a temporary folder, once per run.

Each test runs in a transaction that is rolled back (the API's commits release a
savepoint inside it), and starts with an empty Redis.
"""

import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey

_servers: dict = {}


def pytest_configure(config: pytest.Config) -> None:
    root = Path(tempfile.mkdtemp(prefix="mancrel-test-"))
    postgres = EmbeddedPostgres(root / "postgres")
    postgres.start()
    valkey = EmbeddedValkey(root / "valkey")
    valkey.start()
    _servers.update(root=root, postgres=postgres, valkey=valkey)
    os.environ.update(
        DATABASE_URL=postgres.url,
        REDIS_URL=valkey.url,
        MANCREL_ENV="test",
        MANCREL_SECRET_KEY=secrets.token_urlsafe(48),
        MANCREL_DATA_DIR=str(root / "data"),
        MANCREL_DEMO="0",
    )
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    from mancrel.core.config import get_settings
    from mancrel.core.migrate import upgrade_to_head

    get_settings.cache_clear()
    upgrade_to_head(postgres.url)


def pytest_unconfigure(config: pytest.Config) -> None:
    if not _servers:
        return
    _servers["valkey"].stop()
    _servers["postgres"].stop()
    shutil.rmtree(_servers["root"], ignore_errors=True)


@pytest.fixture(scope="session")
def servers() -> dict:
    """The embedded servers, for tests that stop, restart or point a subprocess at them."""
    return _servers


@pytest.fixture(scope="session")
async def engine():
    from mancrel.core.db import dispose_engine, init_engine

    engine = init_engine()
    yield engine
    await dispose_engine()


@pytest.fixture
async def db(engine) -> AsyncIterator[AsyncSession]:
    """A session whose work is rolled back after the test, commits included."""
    async with engine.connect() as connection:
        outer = await connection.begin()
        session = AsyncSession(bind=connection, join_transaction_mode="create_savepoint",
                               expire_on_commit=False)
        try:
            yield session
        finally:
            await session.close()
            await outer.rollback()


@pytest.fixture(autouse=True)
async def clean_redis(engine) -> AsyncIterator[None]:
    from mancrel.core.redis import get_redis

    await get_redis().flushdb()
    yield


@pytest.fixture(scope="session")
def app(engine):
    from mancrel.main import create_app

    return create_app()


@pytest.fixture
async def client(app, db) -> AsyncIterator[AsyncClient]:
    """An HTTP client for the real app whose requests share the test's transaction."""
    from mancrel.core.db import get_session, transaction

    async def test_session() -> AsyncIterator[AsyncSession]:
        # Each request gets its own session, as in production, on the test's connection:
        # its commit releases a savepoint, its rollback undoes only its own work, and the
        # test's objects are left alone. Reload them (`await db.refresh(obj)`) to see changes.
        await db.flush()
        async with AsyncSession(bind=db.bind, join_transaction_mode="create_savepoint",
                                expire_on_commit=False) as session, transaction(session):
            yield session

    app.dependency_overrides[get_session] = test_session
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
    app.dependency_overrides.clear()
