"""A reply that never reached the customer is never left unnoticed: the conversation is open again,
the people who may see it hear of it, and a person gets a task. An automatic (or approved) reply's
suggestion reads `send_failed` and is escalated; a person's own failed reply gives the assignee a task.
A failure reported twice acts once; a rep who cannot see the conversation sees none of it."""

import json
import uuid
from types import SimpleNamespace

from redis.asyncio import Redis
from sqlalchemy import select, text

from mancrel import events
from mancrel.activity.models import Activity
from mancrel.channel.models import Channel
from mancrel.core.config import get_settings
from mancrel.core.db import commit
from mancrel.core.permissions import Role
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, Message
from mancrel.reply import send_failure
from mancrel.reply.decision import decide_message
from mancrel.reply.models import Suggestion
from mancrel.reply.repository import SuggestionRepository
from tests.channel.factories import make_channel as make_smtp_channel
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, receive
from tests.reply.factories import audit_of, classified_message, escalations_of, follow_up_jobs, make_product
from tests.worker.helpers import eventually

QUESTION = "Hi, how much are the Merino Hiking Socks?"


def _bounce_of(rfc_message_id: str, *, n: int = 1):
    return inbound("mailer-daemon@mx.customer.example", name="Mail Delivery System", subject="Undelivered Mail",
                   text=f"550 5.1.1 mailbox unavailable (report {n})\n\nOriginal headers:\n"
                        f"Message-ID: <{rfc_message_id}>",
                   headers=[("Content-Type", "multipart/report; report-type=delivery-status")], return_path="")


class Heard:
    """Every live event published while it listens."""

    def __init__(self) -> None:
        self.listener = Redis.from_url(get_settings().broker_url, decode_responses=True)
        self.pubsub = self.listener.pubsub()
        self.events: list[dict] = []

    async def __aenter__(self) -> "Heard":
        await self.pubsub.subscribe(events.CHANNEL)
        await self.pubsub.get_message(timeout=1)  # the subscribe confirmation
        return self

    async def __aexit__(self, *exc) -> None:
        await self.pubsub.aclose()
        await self.listener.aclose()

    async def until(self, topic: str, **payload) -> dict:
        async def arrived():
            while message := await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2):
                self.events.append(json.loads(message["data"]))
            return next((e for e in self.events if e["topic"] == topic and all(
                e["payload"].get(k) == v for k, v in payload.items())), None)

        return await eventually(arrived, within=60)


async def test_an_automatic_email_reply_that_bounces_goes_back_to_a_person(
        committed_db, committed_client, celery_worker, smtp_server):
    db = committed_db
    try:
        await _bounced_automatic_reply(db, committed_client, smtp_server)
    finally:
        await db.rollback()
        async with db.bind.begin() as conn:  # the audit trail refuses the fixture's row deletes
            await conn.execute(text("TRUNCATE reply_suggestion_audit"))


async def _bounced_automatic_reply(db, committed_client, smtp_server):
    owner, outsider = await make_user(db, role=Role.rep), await make_user(db, role=Role.rep)
    # Plain copies: the session's rows are expired while the worker's changes are read.
    owner_seen, outsider_seen = (SimpleNamespace(id=u.id, role=u.role) for u in (owner, outsider))
    await make_product(db)
    channel = await make_smtp_channel(db, settings={"smtp": {"host": "127.0.0.1", "port": smtp_server.port,
                                                             "security": "none"}})
    question = await classified_message(db, text=QUESTION, confidence=0.95, owner=owner, channel=channel,
                                        priority="high")
    suggestion = await decide_message(db, question.id)
    assert (suggestion.decision, suggestion.status) == ("auto_send", "sent")
    reply_id, suggestion_id, conversation_id = suggestion.sent_message_id, suggestion.id, question.conversation_id
    channel_id = channel.id
    await commit(db)  # the worker sends it by SMTP

    async def sent():
        db.expire_all()
        message = await db.get(Message, reply_id)
        await db.commit()
        return message if message.status == "sent" else None

    reply = await eventually(sent, within=60)
    rfc_message_id = reply.provider_message_id
    assert (await db.get(Conversation, conversation_id)).status == "pending"  # waiting for the customer

    async with Heard() as heard:
        await receive(db, await db.get(Channel, channel_id), _bounce_of(rfc_message_id))
        await commit(db)  # the worker then runs reply.outbound_failed
        updated = await heard.until("conversation.updated", conversation_id=str(conversation_id), status="open")
        failed = await heard.until("message.updated", message_id=str(reply_id), status="failed")
        escalated = await heard.until("reply.escalated", suggestion_id=str(suggestion_id))
    for event in (updated, failed, escalated):
        assert events.may_receive(owner_seen, event["audience"])
        assert not events.may_receive(outsider_seen, event["audience"])

    db.expire_all()
    suggestion = await db.get(Suggestion, suggestion_id)
    (escalation,) = await escalations_of(db, suggestion_id)
    task = await db.get(Activity, escalation.task_id)
    assert suggestion.status == "send_failed"
    assert (await db.get(Conversation, conversation_id)).status == "open"
    assert task.assignee_id == owner_seen.id and task.done_at is None and escalation.priority == "high"
    step = (await audit_of(db, suggestion_id))[-1]
    assert step.action == "send_failed" and step.data["reason"].startswith("reply failed: bounced: 550 5.1.1")
    assert step.data["task_id"] == str(task.id) and step.data["previous_status"] == "sent"

    # The escalation queue (escalated and send_failed) shows it to the owner, and the outsider sees nothing.
    queue = await committed_client.get("/api/v1/suggestions?status=escalated&status=send_failed",
                                       headers=auth_headers(owner_seen))
    assert [s["id"] for s in queue.json()["items"]] == [str(suggestion_id)]
    assert queue.json()["items"][0]["status"] == "send_failed"
    assert (await committed_client.get("/api/v1/suggestions?status=send_failed",
                                       headers=auth_headers(outsider_seen))).json()["items"] == []
    assert (await committed_client.get(f"/api/v1/suggestions/{suggestion_id}",
                                       headers=auth_headers(outsider_seen))).status_code == 404
    assert (await committed_client.get(f"/api/v1/activities/{task.id}",
                                       headers=auth_headers(outsider_seen))).status_code == 404

    # The failure reported again (a second bounce report): nothing more happens.
    await receive(db, await db.get(Channel, channel_id), _bounce_of(rfc_message_id, n=2))
    await commit(db)
    assert await follow_up_jobs(db, reply_id) == 1
    assert (await db.get(Message, reply_id)).failure_reason.startswith("bounced: 550 5.1.1 mailbox unavailable "
                                                                      "(report 2)")  # the newest word on why


async def test_an_approved_reply_that_fails_is_still_counted_as_approved_for_calibration(client, db):
    owner = await make_user(db, role=Role.rep)
    await make_product(db)
    question = await classified_message(db, text=QUESTION, confidence=0.75, owner=owner)
    suggestion = await decide_message(db, question.id)
    assert suggestion.status == "pending"
    approved = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", json={},
                                 headers=auth_headers(owner))
    assert approved.status_code == 200, approved.text

    await inbox_service.mark_failed(db, uuid.UUID(approved.json()["sent_message_id"]), "550 5.1.1 no such user")
    await send_failure.follow_up(db, uuid.UUID(approved.json()["sent_message_id"]))

    await db.refresh(suggestion)
    assert suggestion.status == "send_failed" and len(await escalations_of(db, suggestion.id)) == 1
    assert (suggestion.intent, 0.75, "approved") in [
        (i, round(c, 2), s) for i, c, s in await SuggestionRepository(db).reviewed()]


async def test_a_persons_failed_reply_gives_the_assignee_a_task_once(client, db):
    rep, outsider = await make_user(db, role=Role.rep), await make_user(db, role=Role.rep)
    channel = await make_channel(db, owner=rep)
    question = await receive(db, channel, inbound(subject="Trail jacket"))
    conversation = await db.get(Conversation, question.conversation_id)
    conversation.assignee_id = rep.id
    headers = auth_headers(rep)
    replies = []
    for written in ("Yes, size M is in stock.", "Sorry, one more thing: it ships tomorrow."):
        answered = await client.post(f"/api/v1/conversations/{conversation.id}/messages", json={"text": written},
                                     headers=headers)
        assert answered.status_code == 201, answered.text
        replies.append(uuid.UUID(answered.json()["id"]))
    await db.refresh(conversation)
    assert conversation.status == "pending"

    for reply_id in replies:  # both refused by the server; the second while the first's task is open
        await inbox_service.mark_failed(db, reply_id, "550 5.1.1 mailbox unavailable")
        assert await send_failure.follow_up(db, reply_id) in ("task created", "a task is open already")

    await db.refresh(conversation)
    tasks = list(await db.scalars(select(Activity).where(Activity.contact_id == conversation.contact_id,
                                                         Activity.type == "task")))
    (task,) = tasks
    assert conversation.status == "open"
    assert task.assignee_id == rep.id and task.subject == "Reply not delivered: Trail jacket"
    assert "550 5.1.1 mailbox unavailable" in task.body and task.due_at is not None
    mine = await client.get(f"/api/v1/activities/{task.id}", headers=headers)
    assert mine.status_code == 200
    assert (await client.get(f"/api/v1/activities/{task.id}", headers=auth_headers(outsider))).status_code == 404
    thread = (await client.get(f"/api/v1/conversations/{conversation.id}/messages", headers=headers)).json()["items"]
    assert {m["failure_reason"] for m in thread if m["direction"] == "outbound"} == {"550 5.1.1 mailbox unavailable"}

    # Done with it, a later failure gets a new task.
    task.done_at = task.due_at
    await db.flush()
    third = await client.post(f"/api/v1/conversations/{conversation.id}/messages", json={"text": "Still there?"},
                              headers=headers)
    await inbox_service.mark_failed(db, uuid.UUID(third.json()["id"]), "550 5.1.1 mailbox unavailable")
    assert await send_failure.follow_up(db, uuid.UUID(third.json()["id"])) == "task created"
