"""Replies through the channel's SMTP server (a real aiosmtpd): threading headers on the received
mail, status on the message, and a send never repeated once the mail may have been handed over."""

import pytest
from sqlalchemy import select

from mancrel.channel import tasks
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Message
from mancrel.worker.errors import PermanentError


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


async def test_a_server_refusing_for_now_on_the_last_try_fails_the_message_and_a_replay_sends_it(
        committed_db, smtp_server, reply, monkeypatch) -> None:
    smtp_server.inbox.answer = "451 try again later"
    monkeypatch.setattr(tasks, "_retries_spent", lambda: True)  # as in the job's last retry in a worker
    with pytest.raises(PermanentError):
        await tasks.send_message.run_async(committed_db, message_id=reply)
    status, reason = await _status(committed_db, reply)
    assert status == "failed" and reason.startswith("gave up after 9 attempts") and "451" in reason
    smtp_server.inbox.answer = None  # the server is back; an admin replays the dead letter
    assert await tasks.send_message.run_async(committed_db, message_id=reply) == "sent"
    assert len(smtp_server.inbox.received) == 1
