"""An escalation ends when the work is done: a reply of ours reaching the customer (through the real worker
and SMTP server) resolves the conversation's escalations and completes their tasks with a note, and so does
a person closing the conversation; a customer message written after our reply keeps its own escalation;
the overdue re-routing never hands an answered conversation to someone else."""

import uuid
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select, text

from mancrel.activity.models import Activity
from mancrel.channel.models import Channel
from mancrel.core.db import commit, utcnow
from mancrel.core.permissions import Role
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, Message
from mancrel.reply import escalation as escalation_service
from mancrel.reply import overdue
from mancrel.reply.decision import decide_message
from mancrel.reply.models import Escalation
from tests.channel.factories import make_channel as make_smtp_channel
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, receive
from tests.reply.factories import classified_message, classify, make_product
from tests.worker.helpers import eventually

COMPLAINT = "The Merino Hiking Socks I got have a hole in them, this is not acceptable."


async def _escalated(db, *, owner, channel=None, subject=None) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """A customer's complaint the reply step handed to a person: (conversation, escalation, task)."""
    await make_product(db)
    message = await classified_message(db, text=COMPLAINT, intent="complaint", confidence=0.41, owner=owner,
                                       priority="high", channel=channel, subject=subject)
    suggestion = await decide_message(db, message.id)
    assert suggestion.decision == "escalate"
    escalation = await db.scalar(select(Escalation).where(Escalation.suggestion_id == suggestion.id))
    return message.conversation_id, escalation.id, escalation.task_id


async def _fresh(db, model, key):
    db.expire_all()
    row = await db.get(model, key)
    await db.commit()
    return row


async def _truncate_audit(db) -> None:
    await db.rollback()
    async with db.bind.begin() as conn:  # the audit trail refuses the fixture's row deletes
        await conn.execute(text("TRUNCATE reply_suggestion_audit"))


async def test_a_persons_reply_reaching_the_customer_resolves_the_escalation_and_completes_its_task(
        committed_db, committed_client, celery_worker, smtp_server):
    db = committed_db
    try:
        rep = await make_user(db, role=Role.rep)
        rep_seen = SimpleNamespace(id=rep.id, role=rep.role, email=rep.email)
        channel = await make_smtp_channel(db, settings={"smtp": {"host": "127.0.0.1", "port": smtp_server.port,
                                                                 "security": "none"}})
        conversation_id, escalation_id, task_id = await _escalated(db, owner=rep, channel=channel)
        await commit(db)
        queue = await committed_client.get("/api/v1/escalations", headers=auth_headers(rep_seen))
        assert [row["conversation_id"] for row in queue.json()["items"]] == [str(conversation_id)]

        answered = await committed_client.post(f"/api/v1/conversations/{conversation_id}/messages",
                                               headers=auth_headers(rep_seen), json={"text": "Sorry! A new pair."})
        assert answered.status_code == 201, answered.text

        async def done():
            task = await _fresh(db, Activity, task_id)
            return task if task.done_at is not None else None
        task = await eventually(done, within=60)
        assert f"answered by {rep_seen.email}" in task.body
        assert (await _fresh(db, Escalation, escalation_id)).resolved_at is not None
        assert len(smtp_server.inbox.received) == 1
        queue = await committed_client.get("/api/v1/escalations", headers=auth_headers(rep_seen))
        assert queue.json()["items"] == []  # the queue empties by doing the work
    finally:
        await _truncate_audit(db)


async def test_closing_the_conversation_resolves_its_escalations(committed_db, committed_client, celery_worker):
    db = committed_db
    try:
        rep = await make_user(db, role=Role.rep)
        rep_seen = SimpleNamespace(id=rep.id, role=rep.role)
        conversation_id, escalation_id, task_id = await _escalated(db, owner=rep)
        await commit(db)
        closed = await committed_client.patch(f"/api/v1/conversations/{conversation_id}",
                                              headers=auth_headers(rep_seen), json={"status": "closed"})
        assert closed.status_code == 200, closed.text

        async def resolved():
            return (await _fresh(db, Escalation, escalation_id)).resolved_at
        await eventually(resolved, within=60)
        task = await _fresh(db, Activity, task_id)
        assert task.done_at is not None and "the conversation was closed" in task.body
    finally:
        await _truncate_audit(db)


async def test_a_reply_resolves_only_what_was_asked_before_it(db):
    rep = await make_user(db, role=Role.rep)
    conversation_id, first_escalation, first_task = await _escalated(db, owner=rep)
    conversation = await db.get(Conversation, conversation_id)
    reply = await inbox_service.reply(db, conversation=conversation, text="Sorry, a new pair is coming.", actor=rep)
    channel_id, counterpart = conversation.channel_id, conversation.counterpart
    later = await receive(db, await db.get(Channel, channel_id), inbound(
        counterpart, subject=f"Re: {conversation.subject}", text="And the other pair is torn too!"))
    assert later.conversation_id == conversation_id
    later.occurred_at = reply.occurred_at + timedelta(seconds=30)  # the customer wrote after our reply
    await classify(db, later, intent="complaint", confidence=0.41, priority="high")
    second = await decide_message(db, later.id)
    assert second.decision == "escalate"
    await inbox_service.mark_sending(db, reply.id)
    await inbox_service.mark_sent(db, reply.id)

    assert await escalation_service.resolve_answered(db, conversation_id, reply.id) == 1
    assert (await db.get(Escalation, first_escalation)).resolved_at is not None
    assert (await db.get(Activity, first_task)).done_at is not None
    still = await db.scalar(select(Escalation).where(Escalation.suggestion_id == second.id))
    assert still.resolved_at is None  # written after our reply: still ours to answer
    assert await escalation_service.resolve_answered(db, conversation_id, reply.id) == 0  # idempotent


async def test_the_overdue_job_never_hands_over_an_answered_conversation(db):
    rep, colleague = await make_user(db, role=Role.rep), await make_user(db, role=Role.rep)
    conversation_id, escalation_id, task_id = await _escalated(db, owner=rep)
    conversation = await db.get(Conversation, conversation_id)
    conversation.assignee_id = rep.id
    reply = await inbox_service.reply(db, conversation=conversation, text="Sorry, a new pair is coming.", actor=rep)
    reply.status = "sent"  # reached the customer; its resolution job has not run (yet)
    escalation = await db.get(Escalation, escalation_id)
    escalation.due_at = utcnow() - timedelta(minutes=5)
    await db.flush()

    assert await overdue.reroute_overdue(db, now=utcnow()) == 0
    assert escalation.resolved_at is not None and escalation.reroutes == 0
    task = await db.get(Activity, task_id)
    assert task.done_at is not None and task.assignee_id != colleague.id
    assert conversation.assignee_id == rep.id
    assert (await db.get(Message, reply.id)).status == "sent"


async def test_the_queue_shows_one_row_per_conversation_and_only_tasks_the_viewer_may_read(client, db):
    rep, sam = await make_user(db, role=Role.rep), await make_user(db, role=Role.rep)
    channel = await make_channel(db, owner=None)
    laura, _, _ = await _escalated(db, owner=None, channel=channel, subject="Order #40117")
    conversation = await db.get(Conversation, laura)
    again = await receive(db, channel, inbound(conversation.counterpart, subject="Re: Order #40117",
                                               text="Any news? I really need it by Friday."))
    await classify(db, again, intent="complaint", confidence=0.41, priority="high")
    newest = await decide_message(db, again.id)
    assert newest.decision == "escalate" and again.conversation_id == laura
    torn_sole, _, sams_task = await _escalated(db, owner=None, channel=channel, subject="Torn sole")
    (await db.get(Activity, sams_task)).assignee_id = sam.id  # unowned customer, Sam's task
    await db.flush()
    # Made after the escalations: with a manager, routing would have given Laura's tasks to them
    # (team/routing.py); without one (nor an admin) they are open to every rep.
    manager = await make_user(db, role=Role.manager)

    managers = (await client.get("/api/v1/escalations", headers=auth_headers(manager))).json()
    rows = {row["conversation_id"]: row for row in managers["items"]}
    assert set(rows) == {str(laura), str(torn_sole)} and not managers["truncated"]
    assert rows[str(laura)]["open_escalations"] == 2 and rows[str(laura)]["suggestion_id"] == str(newest.id)
    assert rows[str(laura)]["subject"] == "Order #40117" and rows[str(laura)]["task_version"] >= 1
    reps = (await client.get("/api/v1/escalations", headers=auth_headers(rep))).json()
    assert [row["conversation_id"] for row in reps["items"]] == [str(laura)]  # Sam's task is not hers to read
    sams = (await client.get("/api/v1/escalations", headers=auth_headers(sam))).json()
    assert {row["conversation_id"] for row in sams["items"]} == {str(laura), str(torn_sole)}
    assert (await client.get("/api/v1/escalations?limit=0", headers=auth_headers(rep))).status_code == 422
