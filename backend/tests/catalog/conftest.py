import pytest
from sqlalchemy.ext.asyncio import AsyncSession


@pytest.fixture
async def client(client, app, db):
    """The shared test client, with the webhook intake on the test's connection as well:
    its batches commit as savepoints of the test's transaction, like the requests' own
    sessions. No source caching (TTL 0), so a test's change to a source counts at once."""
    from mancrel.catalog.dependencies import webhook_intake  # after the harness set the environment
    from mancrel.catalog.intake import WebhookIntake

    def new_session() -> AsyncSession:
        return AsyncSession(bind=db.bind, join_transaction_mode="create_savepoint", expire_on_commit=False)

    intake = WebhookIntake(new_session, source_ttl=0)

    async def test_intake() -> WebhookIntake:
        return intake

    app.dependency_overrides[webhook_intake] = test_intake
    yield client
