"""Replies through the channel's SMTP server (a real aiosmtpd): threading headers on the received
mail, status on the message, and a send never repeated once the mail may have been handed over."""

import pytest
from sqlalchemy import select

from mancrel.channel import tasks
from mancrel.core.permissions import Role
from mancrel.inbox import service as inbox_service
from mancrel.inbox.inbound import InboundEmail
from mancrel.inbox.models import Conversation, Message
from mancrel.worker.errors import PermanentError
from tests.channel.factories import make_channel
from tests.factories import make_user


@pytest.fixture
async def reply(committed_db, smtp_server):
    """A customer's mail and a rep's queued reply to it, committed."""
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


async def _status(db, message_id) -> tuple[str, str | None]:
    db.expire_all()
    message = await db.scalar(select(Message).where(Message.id == message_id))
    return message.status, message.failure_reason


async def test_a_reply_is_sent_with_its_threading_headers(committed_db, smtp_server, reply) -> None:
    assert await tasks.send_message.run_async(committed_db, message_id=reply) == "sent"

    [(mail_from, rcpt, mail)] = smtp_server.inbox.received
    assert rcpt == ["ann@customer.example"] and mail_from == "orders@shop.example"
    assert mail["In-Reply-To"] == "<q1@customer.example>"
    assert mail["References"] == "<older@customer.example> <q1@customer.example>"
    assert mail["Subject"] == "Re: Socks" and mail.get_content().strip() == "Yes, in M."
    assert (await _status(committed_db, reply))[0] == "sent"
    # A redelivered job after the commit finds it sent: nothing goes out again.
    assert await tasks.send_message.run_async(committed_db, message_id=reply) == "skipped"
    assert len(smtp_server.inbox.received) == 1


async def test_a_permanent_refusal_fails_the_message(committed_db, smtp_server, reply) -> None:
    smtp_server.inbox.answer = "550 mailbox unavailable"
    with pytest.raises(PermanentError):
        await tasks.send_message.run_async(committed_db, message_id=reply)
    status, reason = await _status(committed_db, reply)
    assert status == "failed" and "550" in reason


async def test_an_attempt_found_in_flight_is_not_sent_again(committed_db, smtp_server, reply) -> None:
    # What a worker killed after handing the mail over leaves behind: the attempt on file, no verdict.
    await inbox_service.mark_sending(committed_db, reply)
    await committed_db.commit()

    assert await tasks.send_message.run_async(committed_db, message_id=reply) == "skipped"

    assert smtp_server.inbox.received == []
    status, reason = await _status(committed_db, reply)
    assert status == "failed" and reason.startswith("delivery uncertain")
