import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.channel.mailservers import Dovecot, SmtpServer

SHOP_USER, SHOP_PASSWORD = "shop@example.com", "imap-secret"


@pytest.fixture
async def client(client, app, db):
    """The shared test client, with the email intake on the test's connection: its batches commit
    as savepoints of the test's transaction. No channel caching, so a test's change counts at once."""
    from mancrel.channel.intake import EmailIntake
    from mancrel.channel.webhook_router import email_intake

    @asynccontextmanager
    async def test_connection() -> AsyncIterator[AsyncConnection]:
        await db.flush()
        yield db.bind

    intake = EmailIntake(test_connection, ttl=0)

    async def test_intake() -> EmailIntake:
        return intake

    app.dependency_overrides[email_intake] = test_intake
    yield client


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """A real Dovecot IMAP server with the shop's mailbox (a folder /tmp's others can reach)."""
    server = Dovecot(Path(tempfile.mkdtemp(prefix="mancrel-dovecot-")), {SHOP_USER: SHOP_PASSWORD})
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(auth=("shop@example.com", "smtp-secret"))
    server.start()
    yield server
    server.stop()
