"""The 24-hour customer-service window on WhatsApp and Messenger replies, from the customer's last
message: inside a reply is queued for the Graph API job, outside it is a 409 "window closed" and
nothing is queued (on Messenger a person has 7 days, tagged HUMAN_AGENT; an automatic reply never),
and the reply step can ask the same question first."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from mancrel.inbox import service as inbox_service
from mancrel.inbox.chat import HUMAN_AGENT_WINDOW, REPLY_WINDOW, window_open
from mancrel.inbox.exceptions import ReplyWindowClosed
from mancrel.inbox.models import Conversation, Message
from mancrel.worker.models import OutboxMessage
from tests.channel.meta.factories import (
    fb_delivery,
    fb_message,
    ingest_all,
    make_meta_channel,
    post,
    wa_delivery,
    wa_message,
)
from tests.factories import auth_headers, make_user


async def _conversation(client, db, kind: str, *, wrote_ago: timedelta):
    rep = await make_user(db, role=Role.rep)
    channel = await make_meta_channel(db, kind, owner_id=rep.id)
    delivery = wa_delivery(wa_message(wamid="wamid.Q1")) if kind == "whatsapp" else fb_delivery(fb_message(mid="m_q1"))
    await post(client, channel.id, delivery)
    [question] = await ingest_all(db, channel.id)
    conversation = await db.get(Conversation, question.conversation_id)
    conversation.last_inbound_at = utcnow() - wrote_ago
    await db.flush()
    return rep, conversation


async def _send_jobs(db) -> int:
    return await db.scalar(select(func.count()).select_from(OutboxMessage)
                           .where(OutboxMessage.task_name == "channel.send_meta_message"))


async def test_inside_the_window_a_whatsapp_reply_is_queued_quoting_the_customers_message(client, db) -> None:
    rep, conversation = await _conversation(client, db, "whatsapp", wrote_ago=timedelta(hours=23, minutes=59))
    response = await client.post(f"/api/v1/conversations/{conversation.id}/messages", headers=auth_headers(rep),
                                 json={"text": "Yes, we ship to Berlin."})
    assert response.status_code == 201, response.text
    sent = response.json()
    assert sent["status"] == "queued" and sent["direction"] == "outbound" and sent["in_reply_to"] == "wamid.Q1"
    assert sent["recipients"]["to"] == ["4915112345678"]
    assert await _send_jobs(db) == 1


async def test_outside_the_window_the_reply_is_refused_and_nothing_is_queued(client, db) -> None:
    # WhatsApp after 24 hours; Messenger after 7 days even for a person (HUMAN_AGENT's limit).
    for kind, wrote_ago, says in (("whatsapp", timedelta(hours=24, minutes=1), "approved template"),
                                  ("messenger", timedelta(days=8), "within 7 days")):
        rep, conversation = await _conversation(client, db, kind, wrote_ago=wrote_ago)
        response = await client.post(f"/api/v1/conversations/{conversation.id}/messages",
                                     headers=auth_headers(rep), json={"text": "Still interested?"})
        assert response.status_code == 409, (kind, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["title"] == "Reply window closed" and says in response.json()["detail"]
        outbound = await db.scalar(select(func.count()).select_from(Message).where(
            Message.conversation_id == conversation.id, Message.direction == "outbound"))
        assert outbound == 0, kind
    assert await _send_jobs(db) == 0


async def test_on_messenger_a_person_answers_up_to_7_days_and_an_automatic_reply_only_within_24_hours(
        client, db) -> None:
    rep, conversation = await _conversation(client, db, "messenger", wrote_ago=timedelta(days=3))
    read = (await client.get(f"/api/v1/conversations/{conversation.id}", headers=auth_headers(rep))).json()
    until = conversation.last_inbound_at + HUMAN_AGENT_WINDOW
    assert read["reply_options"]["free_text"] is True and not read["reply_options"]["template_required"]
    assert datetime.fromisoformat(read["reply_options"]["human_agent_tag_until"]) == until

    with pytest.raises(ReplyWindowClosed, match="automatic replies go out only within the 24-hour window"):
        await inbox_service.reply(db, conversation=conversation, text="An automatic answer", actor=None)
    assert await _send_jobs(db) == 0
    response = await client.post(f"/api/v1/conversations/{conversation.id}/messages", headers=auth_headers(rep),
                                 json={"text": "Sorry for the wait: yes, it is back."})
    assert response.status_code == 201 and response.json()["author_id"] == str(rep.id)
    assert await _send_jobs(db) == 1


async def test_the_window_closes_exactly_24_hours_after_the_customers_last_message(client, db) -> None:
    wrote = utcnow()
    assert window_open(wrote, wrote + REPLY_WINDOW - timedelta(microseconds=1))
    assert not window_open(wrote, wrote + REPLY_WINDOW)
    assert not window_open(None, wrote)  # the customer never wrote: only templates
    # What the reply step asks before drafting, with the clock it decides by.
    _, conversation = await _conversation(client, db, "messenger", wrote_ago=timedelta(0))
    at = conversation.last_inbound_at
    assert await inbox_service.reply_window_open(db, conversation, at + REPLY_WINDOW - timedelta(seconds=1))
    assert not await inbox_service.reply_window_open(db, conversation, at + REPLY_WINDOW)
