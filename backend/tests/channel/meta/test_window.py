"""The 24-hour customer-service window on WhatsApp and Messenger replies, from the customer's last
message: inside a reply is queued for the Graph API job, outside it is a 409 "window closed" and
nothing is queued, and the reply step can ask the same question first."""

from datetime import timedelta

from sqlalchemy import func, select

from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from mancrel.inbox import service as inbox_service
from mancrel.inbox.chat import REPLY_WINDOW, window_open
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
    for kind in ("whatsapp", "messenger"):
        rep, conversation = await _conversation(client, db, kind, wrote_ago=timedelta(hours=24, minutes=1))
        response = await client.post(f"/api/v1/conversations/{conversation.id}/messages",
                                     headers=auth_headers(rep), json={"text": "Still interested?"})
        assert response.status_code == 409, (kind, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["title"] == "Reply window closed" and "24-hour" in response.json()["detail"]
        outbound = await db.scalar(select(func.count()).select_from(Message).where(
            Message.conversation_id == conversation.id, Message.direction == "outbound"))
        assert outbound == 0, kind
    assert await _send_jobs(db) == 0


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
