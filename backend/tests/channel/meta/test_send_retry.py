"""A WhatsApp reply while the Graph API answers errors (the stand-in returning 503): the reply says
why it waits, the channel's health warns whatever comes in meanwhile, a reply the job gave up on
keeps it failing, and a send that works clears it."""

import pytest

from mancrel.channel import meta_tasks
from mancrel.channel.models import Channel
from mancrel.channel.repository import ChannelRepository
from mancrel.system.product_gauges import channel_failing
from mancrel.worker.errors import PermanentError, TransientError
from tests.channel.factories import channel_health, reread_message
from tests.channel.meta.factories import queued_chat_reply


async def _failing(db, channel_id) -> bool:
    db.expire_all()
    return channel_failing(await db.get(Channel, channel_id))


async def test_graph_errors_show_on_the_reply_and_the_channel_until_a_send_works(
        committed_db, committed_client, graph) -> None:
    message_id, channel_id = await queued_chat_reply(committed_db, graph)
    graph.state.fail_sends_with = 503

    with pytest.raises(TransientError):
        await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id)

    waiting = await reread_message(committed_db, message_id)
    assert waiting.status == "queued" and waiting.failure_reason.startswith("will retry: ")
    assert "Service unavailable" in waiting.failure_reason
    # The customer writes again meanwhile: the way in works, the way out still does not.
    await ChannelRepository(committed_db).record_health(channel_id, received=True)
    await committed_db.commit()
    health = await channel_health(committed_client, committed_db, channel_id)
    assert health["outbound_retrying"] == 1
    assert health["last_error"].startswith("sending is being retried: ")
    assert "Service unavailable" in health["last_error"]
    assert await _failing(committed_db, channel_id)

    graph.state.fail_sends_with = None
    assert await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id) == "sent"

    health = await channel_health(committed_client, committed_db, channel_id)
    assert (health["last_error"], health["outbound_retrying"]) == (None, 0)
    assert not await _failing(committed_db, channel_id)


async def test_a_reply_given_up_on_keeps_the_channel_failing(committed_db, committed_client, graph,
                                                            monkeypatch) -> None:
    message_id, channel_id = await queued_chat_reply(committed_db, graph)
    graph.state.fail_sends_with = 503
    monkeypatch.setattr(meta_tasks, "_last_try", lambda: True)  # the job's last try, as in a worker

    with pytest.raises(PermanentError):
        await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id)

    assert (await reread_message(committed_db, message_id)).failure_reason.startswith("gave up after 9 attempts")
    await ChannelRepository(committed_db).record_health(channel_id, received=True)
    await committed_db.commit()
    health = await channel_health(committed_client, committed_db, channel_id)
    assert health["last_error"].startswith("sending failed: gave up after 9 attempts")
    assert (health["outbound_failed"], health["outbound_retrying"]) == (1, 0)
    assert await _failing(committed_db, channel_id)
