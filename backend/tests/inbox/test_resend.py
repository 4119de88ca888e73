"""A failed reply sent again from the conversation (`POST .../messages/{id}/retry`): the same message goes
back to its channel's send job, once, by the channel's rules; a reply that may already have reached the
customer needs the person's confirmation; only failed replies, only for those who see the conversation.
(That it then goes out through the real SMTP server and closes what the failure opened:
tests/reply/test_send_recovery.py.)"""

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from mancrel.audit.models import AuditEntry
from mancrel.core.permissions import Role
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, Message
from mancrel.worker.models import OutboxMessage
from tests.channel.meta.factories import chat_conversation, make_meta_channel
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, receive

UNCERTAIN = ("delivery uncertain: the attempt was interrupted after the mail was handed to the server and before "
             "it answered, so it is not sent again automatically; check with the customer before resending")


def _retry_url(message) -> str:
    return f"/api/v1/conversations/{message.conversation_id}/messages/{message.id}/retry"


async def _send_jobs(db, message_id) -> int:
    return await db.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.task_name.in_(("email.send_message", "channel.send_meta_message")),
        OutboxMessage.kwargs["message_id"].astext == str(message_id)))


async def _failed_email_reply(db, *, owner, reason: str = "550 5.1.1 mailbox unavailable") -> Message:
    channel = await make_channel(db, owner=owner)
    question = await receive(db, channel, inbound(subject="Trail jacket"))
    conversation = await db.get(Conversation, question.conversation_id)
    reply = await inbox_service.reply(db, conversation=conversation, text="Yes, size M is in stock.", actor=owner)
    await inbox_service.mark_failed(db, reply.id, reason)
    return reply


async def test_a_failed_email_reply_is_queued_again_once_and_the_audit_says_who_resent_it(client, db):
    rep = await make_user(db, role=Role.rep)
    reply = await _failed_email_reply(db, owner=rep)
    conversation = await db.get(Conversation, reply.conversation_id)
    assert conversation.status == "open" and await _send_jobs(db, reply.id) == 1

    thread = (await client.get(f"/api/v1/conversations/{conversation.id}/messages",
                               headers=auth_headers(rep))).json()["items"]
    (shown,) = [m for m in thread if m["direction"] == "outbound"]
    assert shown["status"] == "failed" and shown["failure_reason"] == "550 5.1.1 mailbox unavailable"
    assert shown["delivery_uncertain"] is False

    answered = await client.post(_retry_url(reply), headers=auth_headers(rep))
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert (body["id"], body["status"], body["failure_reason"]) == (str(reply.id), "queued", None)
    assert body["resent_by_id"] == str(rep.id) and body["resent_at"] is not None
    assert await _send_jobs(db, reply.id) == 2  # the channel's own send job, queued once more
    await db.refresh(conversation)
    assert conversation.status == "pending"  # answered again: waiting for the customer

    again = await client.post(_retry_url(reply), headers=auth_headers(rep))  # a second click
    assert again.status_code == 409 and again.json()["type"] == "/problems/not-resendable"
    assert "queued" in again.json()["detail"]
    assert await _send_jobs(db, reply.id) == 2

    thread = (await client.get(f"/api/v1/conversations/{conversation.id}/messages",
                               headers=auth_headers(rep))).json()["items"]
    assert [m["id"] for m in thread if m["direction"] == "outbound"] == [str(reply.id)]  # one bubble, not two
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "message.resent",
                                                     AuditEntry.entity_id == str(reply.id)))
    assert entry.actor_id == rep.id and entry.before["failure_reason"] == "550 5.1.1 mailbox unavailable"


async def test_two_clicks_at_once_queue_one_send(committed_db, committed_client):
    db = committed_db
    rep = await make_user(db, role=Role.rep)
    reply = await _failed_email_reply(db, owner=rep)
    await db.commit()

    answers = await asyncio.gather(*[committed_client.post(_retry_url(reply), headers=auth_headers(rep))
                                     for _ in range(2)])
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert await _send_jobs(db, reply.id) == 2  # the first send and one resend


async def test_an_uncertain_attempt_is_sent_again_only_when_the_person_confirms(client, db):
    rep = await make_user(db, role=Role.rep)
    reply = await _failed_email_reply(db, owner=rep, reason=UNCERTAIN)
    shown = (await client.get(f"/api/v1/conversations/{reply.conversation_id}/messages",
                              headers=auth_headers(rep))).json()["items"]
    assert [m["delivery_uncertain"] for m in shown if m["direction"] == "outbound"] == [True]

    for body in (None, {"confirm_uncertain": False}):
        refused = await client.post(_retry_url(reply), json=body, headers=auth_headers(rep))
        assert refused.status_code == 409, refused.text
        problem = refused.json()
        assert problem["type"] == "/problems/delivery-uncertain" and problem["confirm_field"] == "confirm_uncertain"
        assert "may already have reached the customer" in problem["detail"]
    await db.refresh(reply)
    assert reply.status == "failed" and await _send_jobs(db, reply.id) == 1  # nothing changed

    confirmed = await client.post(_retry_url(reply), json={"confirm_uncertain": True}, headers=auth_headers(rep))
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "queued"
    assert await _send_jobs(db, reply.id) == 2


async def test_a_chat_reply_outside_the_window_is_refused_with_what_to_send_instead(client, db):
    rep = await make_user(db, role=Role.rep)
    channel = await make_meta_channel(db, owner_id=rep.id)
    conversation = await chat_conversation(db, channel, owner=rep, wrote_ago=timedelta(hours=2))
    reply = await inbox_service.reply(db, conversation=conversation, text="It ships today.", actor=rep)
    await inbox_service.mark_failed(db, reply.id, "131026 Message undeliverable")
    conversation.last_inbound_at -= timedelta(hours=23)  # the customer wrote 25 hours ago now

    refused = await client.post(_retry_url(reply), headers=auth_headers(rep))
    assert refused.status_code == 409 and refused.json()["type"] == "/problems/reply-window-closed"
    assert "24-hour window" in refused.json()["detail"] and "template" in refused.json()["detail"]
    await db.refresh(reply)
    assert reply.status == "failed" and await _send_jobs(db, reply.id) == 1

    conversation.last_inbound_at += timedelta(hours=23)  # within the window again: it goes
    resent = await client.post(_retry_url(reply), headers=auth_headers(rep))
    assert resent.status_code == 200 and await _send_jobs(db, reply.id) == 2


async def test_a_failed_whatsapp_template_may_be_sent_again_after_the_window(client, db):
    rep = await make_user(db, role=Role.rep)
    channel = await make_meta_channel(db, owner_id=rep.id)
    conversation = await chat_conversation(db, channel, owner=rep, wrote_ago=timedelta(days=3))
    template = Message(id=uuid.uuid4(), conversation_id=conversation.id, channel_id=channel.id, direction="outbound",
                       sender="49301234567", recipients={"to": [conversation.counterpart]}, text="Your order shipped.",
                       provider_message_id=f"pending:{uuid.uuid4()}", status="failed", author_id=rep.id,
                       failure_reason="131026 Message undeliverable",
                       headers={"kind": "template", "template": {"name": "order_shipped", "language": "en_US"}})
    db.add(template)
    await db.flush()

    resent = await client.post(_retry_url(template), headers=auth_headers(rep))
    assert resent.status_code == 200, resent.text  # templates are WhatsApp's way in after the 24 hours
    assert resent.json()["template"]["name"] == "order_shipped" and await _send_jobs(db, template.id) == 1


async def test_only_a_failed_reply_of_ours_in_a_visible_conversation_can_be_sent_again(client, db):
    rep, outsider = await make_user(db, role=Role.rep), await make_user(db, role=Role.rep)
    manager = await make_user(db, role=Role.manager)
    reply = await _failed_email_reply(db, owner=rep)
    question = await db.scalar(select(Message).where(Message.conversation_id == reply.conversation_id,
                                                     Message.direction == "inbound"))

    hidden = await client.post(_retry_url(reply), headers=auth_headers(outsider))
    assert hidden.status_code == 404  # not even told it exists
    theirs = await client.post(_retry_url(question), headers=auth_headers(rep))
    assert theirs.status_code == 409 and "customer's message" in theirs.json()["detail"]
    elsewhere = await _failed_email_reply(db, owner=rep)
    mixed = await client.post(f"/api/v1/conversations/{reply.conversation_id}/messages/{elsewhere.id}/retry",
                              headers=auth_headers(rep))
    assert mixed.status_code == 404
    unknown = await client.post(f"/api/v1/conversations/{reply.conversation_id}/messages/{uuid.uuid4()}/retry",
                                headers=auth_headers(rep))
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"
    extra = await client.post(_retry_url(reply), json={"confirm": True}, headers=auth_headers(rep))
    assert extra.status_code == 422
    await db.refresh(reply)
    assert reply.status == "failed" and await _send_jobs(db, reply.id) == 1  # none of that changed anything

    by_manager = await client.post(_retry_url(reply), headers=auth_headers(manager))
    assert by_manager.status_code == 200 and by_manager.json()["resent_by_id"] == str(manager.id)
    await inbox_service.mark_sent(db, reply.id)
    sent = await client.post(_retry_url(reply), headers=auth_headers(rep))
    assert sent.status_code == 409 and "was sent" in sent.json()["detail"]
