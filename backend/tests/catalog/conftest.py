from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection


@pytest.fixture
async def client(client, app, db):
    """The shared test client, with the webhook intake on the test's connection as well:
    its batches commit as savepoints of the test's transaction, like the requests' own
    sessions. No source caching (TTL 0), so a test's change to a source counts at once."""
    from mancrel.catalog.dependencies import webhook_intake  # after the harness set the environment
    from mancrel.catalog.intake import WebhookIntake

    @asynccontextmanager
    async def test_connection() -> AsyncIterator[AsyncConnection]:
        await db.flush()
        yield db.bind

    intake = WebhookIntake(test_connection, source_ttl=0)

    async def test_intake() -> WebhookIntake:
        return intake

    app.dependency_overrides[webhook_intake] = test_intake
    yield client
