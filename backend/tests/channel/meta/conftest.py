from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.channel.meta.graph_server import GraphServer


@pytest.fixture
async def client(client, app, db):
    """The shared test client, with the Meta intake on the test's connection (its batches commit as
    savepoints of the test's transaction) and no channel caching."""
    from mancrel.channel.intake import MetaIntake
    from mancrel.channel.meta_webhook import meta_intake

    @asynccontextmanager
    async def test_connection() -> AsyncIterator[AsyncConnection]:
        await db.flush()
        yield db.bind

    intake = MetaIntake(test_connection, ttl=0)

    async def test_intake() -> MetaIntake:
        return intake

    app.dependency_overrides[meta_intake] = test_intake
    yield client


@pytest.fixture
def graph() -> Iterator[GraphServer]:
    server = GraphServer()
    server.start()
    yield server
    server.stop()
