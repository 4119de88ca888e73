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


@pytest.fixture
async def reply(committed_db, smtp_server):
    """A customer's mail and a rep's queued reply to it, committed."""
    # Imported here: this conftest loads before the test servers (and REDIS_URL) exist.
    from mancrel.core.permissions import Role
    from mancrel.inbox import service as inbox_service
    from mancrel.inbox.inbound import InboundEmail
    from mancrel.inbox.models import Conversation
    from tests.channel.factories import make_channel
    from tests.factories import make_user

    channel = await make_channel(committed_db, settings={"smtp": {
        "host": "127.0.0.1", "port": smtp_server.port, "username": "shop@example.com", "security": "none"}},
        secrets={"signing_key": "k", "smtp_password": "smtp-secret"})
    rep = await make_user(committed_db, role=Role.rep)
    inbound = await inbox_service.receive_email(committed_db, channel=channel, email=InboundEmail(
        from_address="ann@customer.example", from_name="Ann", to=["orders@shop.example"], subject="Socks",
        text="Do you have socks?", message_id="q1@customer.example", references=["older@customer.example"]))
    conversation = await committed_db.get(Conversation, inbound.conversation_id)
    answer = await inbox_service.reply(committed_db, conversation=conversation, text="Yes, in M.", actor=rep)
    await committed_db.commit()
    return answer.id  # the service's rows were flushed by committed_db: it deletes them afterwards
