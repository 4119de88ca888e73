"""A WhatsApp reply while the Graph API answers errors (the stand-in returning 503): the reply says
why it waits, the channel's health warns whatever comes in meanwhile, a reply the job gave up on
keeps it failing, and a send that works clears it."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from mancrel.channel import meta_tasks
from mancrel.channel.models import Channel
from mancrel.channel.repository import ChannelRepository
from mancrel.core.permissions import Role
from mancrel.inbox import chat
from mancrel.inbox import service as inbox_service
from mancrel.inbox.inbound import InboundChat
from mancrel.inbox.models import Conversation, Message
from mancrel.system.product_gauges import channel_failing
from mancrel.worker.errors import PermanentError, TransientError
from tests.channel.meta.factories import CUSTOMER_WA, make_meta_channel
from tests.factories import auth_headers, make_user


async def _queued_reply(db, graph) -> tuple[uuid.UUID, uuid.UUID]:
    channel = await make_meta_channel(db, "whatsapp", graph_url=graph.url)
    question = await chat.receive_chat(db, channel=channel, chat=InboundChat(
        sender_id=CUSTOMER_WA, provider_message_id=f"wamid.{uuid.uuid4().hex}", text="Do you ship to Berlin?",
        occurred_at=datetime.now(UTC), sender_name="Ann Buyer"))
    conversation = await db.get(Conversation, question.conversation_id)
    answer = await inbox_service.reply(db, conversation=conversation, text="Yes, in two days.", actor=None)
    await db.commit()
    return answer.id, channel.id


async def _message(db, message_id) -> Message:
    db.expire_all()
    return await db.scalar(select(Message).where(Message.id == message_id))


async def _health(client, db, channel_id) -> dict:
    admin = auth_headers(await make_user(db, role=Role.admin))
    await db.commit()
    return (await client.get(f"/api/v1/channels/{channel_id}/health", headers=admin)).json()


async def _failing(db, channel_id) -> bool:
    db.expire_all()
    return channel_failing(await db.get(Channel, channel_id))


async def test_graph_errors_show_on_the_reply_and_the_channel_until_a_send_works(
        committed_db, committed_client, graph) -> None:
    message_id, channel_id = await _queued_reply(committed_db, graph)
    graph.state.fail_sends_with = 503

    with pytest.raises(TransientError):
        await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id)

    waiting = await _message(committed_db, message_id)
    assert waiting.status == "queued" and waiting.failure_reason.startswith("will retry: ")
    assert "Service unavailable" in waiting.failure_reason
    # The customer writes again meanwhile: the way in works, the way out still does not.
    await ChannelRepository(committed_db).record_health(channel_id, received=True)
    await committed_db.commit()
    health = await _health(committed_client, committed_db, channel_id)
    assert health["outbound_retrying"] == 1
    assert health["last_error"].startswith("sending is being retried: ")
    assert "Service unavailable" in health["last_error"]
    assert await _failing(committed_db, channel_id)

    graph.state.fail_sends_with = None
    assert await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id) == "sent"

    health = await _health(committed_client, committed_db, channel_id)
    assert (health["last_error"], health["outbound_retrying"]) == (None, 0)
    assert not await _failing(committed_db, channel_id)


async def test_a_reply_given_up_on_keeps_the_channel_failing(committed_db, committed_client, graph,
                                                            monkeypatch) -> None:
    message_id, channel_id = await _queued_reply(committed_db, graph)
    graph.state.fail_sends_with = 503
    monkeypatch.setattr(meta_tasks, "_last_try", lambda: True)  # the job's last try, as in a worker

    with pytest.raises(PermanentError):
        await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id)

    assert (await _message(committed_db, message_id)).failure_reason.startswith("gave up after 9 attempts")
    await ChannelRepository(committed_db).record_health(channel_id, received=True)
    await committed_db.commit()
    health = await _health(committed_client, committed_db, channel_id)
    assert health["last_error"].startswith("sending failed: gave up after 9 attempts")
    assert (health["outbound_failed"], health["outbound_retrying"]) == (1, 0)
    assert await _failing(committed_db, channel_id)
