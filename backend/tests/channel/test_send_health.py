"""A reply the SMTP server cannot take for now (stopped, or answering 4xx): the message carries the
reason while the job retries, the channel's health warns (and `mancrel doctor` with it) whatever
mail comes in meanwhile, and a send that works clears the warning."""

import pytest

from mancrel.channel import tasks
from mancrel.channel.models import Channel
from mancrel.channel.repository import ChannelRepository
from mancrel.system.product_gauges import channel_failing
from mancrel.worker.errors import PermanentError, TransientError
from tests.channel.factories import channel_health, reread_message


async def _channel(db, channel_id) -> Channel:
    db.expire_all()
    return await db.get(Channel, channel_id)


async def _mail_came_in(db, channel_id) -> None:
    """What a poll that worked and new mail write on the channel (tasks.poll_imap, ingest)."""
    await ChannelRepository(db).record_health(channel_id, polled=True, received=True, clear_error=True)
    await db.commit()


async def test_a_stopped_smtp_server_shows_on_the_reply_and_the_channel_until_a_send_works(
        committed_db, committed_client, smtp_server, reply) -> None:
    smtp_server.stop()  # connection refused, as with the sink stopped

    with pytest.raises(TransientError):
        await tasks.send_message.run_async(committed_db, message_id=reply)

    waiting = await reread_message(committed_db, reply)
    assert waiting.status == "queued"
    assert waiting.failure_reason.startswith("will retry: SMTP server unreachable")
    await _mail_came_in(committed_db, waiting.channel_id)  # the way in works: the way out still does not
    health = await channel_health(committed_client, committed_db, waiting.channel_id)
    assert health["outbound_retrying"] == 1 and health["outbound_queued"] == 1
    assert health["last_error"].startswith("sending is being retried: SMTP server unreachable")
    assert channel_failing(await _channel(committed_db, waiting.channel_id))

    smtp_server.restart()  # the sink is back
    assert await tasks.send_message.run_async(committed_db, message_id=reply) == "sent"

    sent = await reread_message(committed_db, reply)
    assert (sent.status, sent.failure_reason) == ("sent", None)
    health = await channel_health(committed_client, committed_db, sent.channel_id)
    assert (health["last_error"], health["outbound_retrying"], health["outbound_queued"]) == (None, 0, 0)
    assert not channel_failing(await _channel(committed_db, sent.channel_id))


async def test_a_server_refusing_for_now_records_its_answer_as_the_retry_reason(
        committed_db, committed_client, smtp_server, reply) -> None:
    smtp_server.inbox.answer = "451 4.3.0 Mail server temporarily rejected message"

    with pytest.raises(TransientError):
        await tasks.send_message.run_async(committed_db, message_id=reply)

    waiting = await reread_message(committed_db, reply)
    assert waiting.status == "queued" and waiting.failure_reason == (
        "will retry: SMTP 451: 4.3.0 Mail server temporarily rejected message")
    health = await channel_health(committed_client, committed_db, waiting.channel_id)
    assert health["outbound_retrying"] == 1 and "451" in health["last_error"]


async def test_a_dead_lettered_send_keeps_the_channel_failing_after_mail_comes_in(
        committed_db, committed_client, smtp_server, reply, monkeypatch) -> None:
    smtp_server.stop()
    monkeypatch.setattr(tasks, "_retries_spent", lambda: True)  # the job's last try, as in a worker

    with pytest.raises(PermanentError):
        await tasks.send_message.run_async(committed_db, message_id=reply)

    failed = await reread_message(committed_db, reply)
    assert failed.status == "failed" and failed.failure_reason.startswith("gave up after 9 attempts")
    await _mail_came_in(committed_db, failed.channel_id)
    health = await channel_health(committed_client, committed_db, failed.channel_id)
    assert health["last_error"].startswith("sending failed: gave up after 9 attempts")
    assert health["outbound_failed"] == 1 and health["outbound_retrying"] == 0
    assert channel_failing(await _channel(committed_db, failed.channel_id))


async def test_a_poll_error_is_still_cleared_by_the_next_poll(committed_db, smtp_server, reply) -> None:
    channel_id = (await reread_message(committed_db, reply)).channel_id
    await ChannelRepository(committed_db).record_health(channel_id, error="IMAP poll failed: timeout")
    await committed_db.commit()
    assert channel_failing(await _channel(committed_db, channel_id))

    await _mail_came_in(committed_db, channel_id)

    channel = await _channel(committed_db, channel_id)
    assert channel.last_error is None and not channel_failing(channel)
