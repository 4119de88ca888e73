"""A conversation's state follows what happens in it: a customer writing back to a conversation that waits
for them (or is snoozed) puts it back on us, and browsers hear; its priority does not fall while it is open
(the customer chasing is no less urgent); a person answering a conversation nobody holds takes it."""

import json
from datetime import timedelta

from sqlalchemy import select

from mancrel import events
from mancrel.audit.models import AuditEntry
from mancrel.core.db import commit, utcnow
from mancrel.core.permissions import Role
from mancrel.core.redis import get_redis
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation
from mancrel.inbox.processing import triage
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, make_contact, receive
from tests.worker.helpers import eventually


async def _heard(pubsub, conversation_id: str, status: str) -> bool:
    while (message := await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)) is not None:
        event = json.loads(message["data"])
        if event["topic"] == "conversation.updated" and event["payload"]["conversation_id"] == conversation_id \
                and event["payload"]["status"] == status:
            return True
    return False


async def test_a_customer_writing_back_reopens_a_conversation_waiting_for_them_and_browsers_hear(committed_db):
    db = committed_db
    rep = await make_user(db, role=Role.rep)
    channel = await make_channel(db)
    await make_contact(db, owner=rep, email="laura@customer.example")
    first = await receive(db, channel, inbound("laura@customer.example", subject="Order #40117 - not shipped yet?"))
    conversation_id = first.conversation_id
    conversation = await db.get(Conversation, conversation_id)
    await inbox_service.reply(db, conversation=conversation, text="We are on it.", actor=rep)
    assert conversation.status == "pending"  # waiting for the customer
    await commit(db)
    pubsub = get_redis().pubsub()
    await pubsub.subscribe(events.CHANNEL)
    try:
        await receive(db, channel, inbound("laura@customer.example", subject="Re: Order #40117 - not shipped yet?",
                                           text="Any news? I really need it by Friday."))
        await commit(db)
        db.expire_all()
        assert (await db.get(Conversation, conversation_id)).status == "open"
        await eventually(lambda: _heard(pubsub, str(conversation_id), "open"), within=5)
    finally:
        await pubsub.aclose()


async def test_a_customer_writing_to_a_snoozed_conversation_wakes_it(client, db):
    rep = await make_user(db, role=Role.rep)
    channel = await make_channel(db)
    await make_contact(db, owner=rep, email="peter@customer.example")
    first = await receive(db, channel, inbound("peter@customer.example", subject="Torn sole"))
    url = f"/api/v1/conversations/{first.conversation_id}"
    later = (utcnow() + timedelta(days=1)).isoformat()
    snoozed = await client.patch(url, headers=auth_headers(rep), json={"status": "pending", "snoozed_until": later})
    assert snoozed.status_code == 200 and snoozed.json()["snoozed_until"] is not None
    await receive(db, channel, inbound("peter@customer.example", subject="Re: Torn sole", text="Here are photos."))
    woken = (await client.get(url, headers=auth_headers(rep))).json()
    assert (woken["status"], woken["snoozed_until"]) == ("open", None)
    listed = await client.get("/api/v1/conversations?status=open", headers=auth_headers(rep))
    assert str(first.conversation_id) in {c["id"] for c in listed.json()["items"]}


async def test_priority_does_not_fall_while_open_and_starts_over_after_closing(db):
    channel = await make_channel(db)
    await make_contact(db, email="chaser@customer.example")
    first = await receive(db, channel, inbound("chaser@customer.example", subject="Torn sole - refund please"))
    conversation = await db.get(Conversation, first.conversation_id)
    triage(conversation, intent="complaint", priority="high")
    triage(conversation, intent="availability", priority="normal")  # "here are photos"
    triage(conversation, intent="other", priority="low")  # "any news?"
    assert (conversation.intent, conversation.priority) == ("complaint", "high")
    triage(conversation, intent="order_status", priority="urgent")  # a more urgent message raises it
    assert (conversation.intent, conversation.priority) == ("order_status", "urgent")
    triage(conversation, intent="returns_refund", priority="urgent")  # a tie keeps the message that set it
    assert conversation.intent == "order_status"

    conversation.status = "closed"
    await receive(db, channel, inbound("chaser@customer.example", subject="Re: Torn sole - refund please",
                                       text="One more question about socks."))
    assert (conversation.status, conversation.priority) == ("open", None)  # a new matter: triaged afresh
    triage(conversation, intent="availability", priority="low")
    assert (conversation.intent, conversation.priority) == ("availability", "low")


async def test_a_person_replying_to_an_unassigned_conversation_becomes_its_assignee(client, db):
    rep, colleague = await make_user(db, role=Role.rep), await make_user(db, role=Role.rep)
    channel = await make_channel(db)
    await make_contact(db, owner=None, email="new.lead@customer.example")
    mine = await receive(db, channel, inbound("new.lead@customer.example", subject="Which shoe size?"))
    url = f"/api/v1/conversations/{mine.conversation_id}"
    assert (await client.get(url, headers=auth_headers(rep))).json()["assignee_id"] is None
    sent = await client.post(f"{url}/messages", headers=auth_headers(rep), json={"text": "Size 44 fits most."})
    assert sent.status_code == 201, sent.text
    assert (await client.get(url, headers=auth_headers(rep))).json()["assignee_id"] == str(rep.id)
    taken = await db.scalar(select(AuditEntry).where(AuditEntry.entity_id == str(mine.conversation_id),
                                                     AuditEntry.action == "conversation.updated"))
    assert (taken.actor_id, taken.after) == (rep.id, {"assignee_id": str(rep.id)})  # who took it, on the record
    # A conversation someone holds stays theirs when a colleague answers too.
    again = await client.post(f"{url}/messages", headers=auth_headers(colleague), json={"text": "Or 45."})
    assert again.status_code == 201, again.text
    assert (await client.get(url, headers=auth_headers(rep))).json()["assignee_id"] == str(rep.id)
