"""Replies through the Graph API stand-in, with real commits (the send job works in its own
transactions): the request Meta receives, the message's status and Meta's id on it, retries that
never send twice, a refused token on the channel's health, and Messenger's HUMAN_AGENT tag on a
person's late reply."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from mancrel.channel import meta_tasks
from mancrel.channel.models import Channel
from mancrel.core.permissions import Role
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation
from mancrel.worker.errors import PermanentError, TransientError
from tests.channel.factories import reread_message
from tests.channel.meta.factories import CUSTOMER_WA, chat_conversation, make_meta_channel, queued_chat_reply
from tests.channel.meta.graph_server import PAGE_ID, PHONE_NUMBER_ID
from tests.factories import auth_headers, make_user


async def test_a_whatsapp_reply_is_sent_in_thread_and_keeps_metas_id(committed_db, graph) -> None:
    message_id, _ = await queued_chat_reply(committed_db, graph, provider_message_id="wamid.Q1")

    assert await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id) == "sent"

    [call] = graph.state.requests
    assert (call.method, call.path, call.authorization) == (
        "POST", f"/v21.0/{PHONE_NUMBER_ID}/messages", "Bearer EAAG-test-access-token")
    assert call.body == {"messaging_product": "whatsapp", "recipient_type": "individual", "to": CUSTOMER_WA,
                         "type": "text", "text": {"preview_url": False, "body": "Yes, in two days."},
                         "context": {"message_id": "wamid.Q1"}}
    sent = await reread_message(committed_db, message_id)
    assert (sent.status, sent.provider_message_id, sent.send_attempts) == ("sent", "wamid.OUT1", 1)
    # A redelivered job finds it sent: nothing goes to Meta again.
    assert await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id) == "skipped"
    assert len(graph.state.requests) == 1


async def test_a_messenger_reply_uses_the_send_api_with_messaging_type_response(committed_db, graph) -> None:
    message_id, _ = await queued_chat_reply(committed_db, graph, "messenger")

    assert await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id) == "sent"

    [call] = graph.state.requests
    assert (call.path, call.authorization) == (f"/v21.0/{PAGE_ID}/messages", "Bearer EAAG-test-access-token")
    assert call.body == {"recipient": {"id": "6543210987654321"}, "messaging_type": "RESPONSE",
                         "message": {"text": "Yes, in two days."}}
    assert (await reread_message(committed_db, message_id)).provider_message_id == "m_OUT1"


async def test_a_refused_token_fails_the_reply_and_shows_on_the_channels_health(
        committed_db, committed_client, graph) -> None:
    admin = auth_headers(await make_user(committed_db, role=Role.admin))
    message_id, channel_id = await queued_chat_reply(committed_db, graph)
    graph.state.token = "a-rotated-token"  # the channel's token no longer works

    with pytest.raises(PermanentError):
        await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id)

    failed = await reread_message(committed_db, message_id)
    assert failed.status == "failed" and "code 190" in failed.failure_reason
    health = (await committed_client.get(f"/api/v1/channels/{channel_id}/health",
                                         headers=admin)).json()
    assert "code 190" in health["token_error"] and health["token_error_at"] is not None
    assert health["outbound_failed"] == 1 and health["messages_out_24h"] == 1 and health["messages_in_24h"] == 1
    await committed_db.execute(Channel.__table__.update().where(Channel.id == channel_id).values(token_error=None))
    await committed_db.commit()


async def test_meta_unavailable_puts_the_reply_back_in_the_queue_for_a_retry(committed_db, graph) -> None:
    message_id, _ = await queued_chat_reply(committed_db, graph)
    graph.state.fail_sends_with = 503

    with pytest.raises(TransientError):
        await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id)
    assert (await reread_message(committed_db, message_id)).status == "queued"

    graph.state.fail_sends_with = None
    assert await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id) == "sent"


async def test_an_attempt_found_in_flight_is_not_sent_again(committed_db, graph) -> None:
    message_id, _ = await queued_chat_reply(committed_db, graph)
    await inbox_service.mark_sending(committed_db, message_id)  # a worker died after calling Meta
    await committed_db.commit()

    assert await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id) == "skipped"

    assert graph.state.requests == []
    uncertain = await reread_message(committed_db, message_id)
    assert uncertain.status == "failed" and uncertain.failure_reason.startswith("delivery uncertain")


async def test_a_persons_messenger_reply_goes_as_a_response_within_24_hours_then_tagged_human_agent(
        committed_db, committed_client, graph) -> None:
    psid = "6543210987654321"
    rep = await make_user(committed_db, role=Role.rep)
    channel = await make_meta_channel(committed_db, "messenger", graph_url=graph.url)
    try:
        for wrote_ago, how in ((timedelta(hours=23), {"messaging_type": "RESPONSE"}),
                               (timedelta(days=3), {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"})):
            conversation = await chat_conversation(committed_db, channel, owner=rep, wrote_ago=wrote_ago,
                                                   counterpart=psid + str(wrote_ago.days))
            await committed_db.commit()
            response = await committed_client.post(f"/api/v1/conversations/{conversation.id}/messages",
                                                   json={"text": "It is back in stock."}, headers=auth_headers(rep))
            assert response.status_code == 201, response.text

            message_id = uuid.UUID(response.json()["id"])

            assert await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id) == "sent"
            call = graph.state.requests[-1]
            assert (call.path, call.authorization) == (f"/v21.0/{PAGE_ID}/messages", "Bearer EAAG-test-access-token")
            assert call.body == {"recipient": {"id": conversation.counterpart},
                                 "message": {"text": "It is back in stock."}, **how}
    finally:
        await committed_db.execute(delete(Channel).where(Channel.id == channel.id))  # the replies the API stored
        await committed_db.commit()


async def test_a_reply_that_waited_in_the_queue_past_the_window_is_not_sent(committed_db, graph) -> None:
    # An automatic answer queued in time, whose job ran only after the 24 hours (a backlog): Meta would
    # refuse it, and no automatic reply may go out after the window, so the job fails it without calling.
    message_id, _ = await queued_chat_reply(committed_db, graph)
    message = await reread_message(committed_db, message_id)
    conversation = await committed_db.get(Conversation, message.conversation_id)
    conversation.last_inbound_at = datetime.now(UTC) - timedelta(hours=24, seconds=1)
    await committed_db.commit()

    assert await meta_tasks.send_meta_message.run_async(committed_db, message_id=message_id) == "skipped"

    assert graph.state.requests == []
    late = await reread_message(committed_db, message_id)
    assert late.status == "failed" and "the reply window closed while it waited" in late.failure_reason
    assert "approved template" in late.failure_reason
