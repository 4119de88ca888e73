"""'Not junk': a rep moves a junked conversation into the inbox. It becomes a customer's (a contact,
classified, replies to the person behind a contact form), and the move is audited."""

from sqlalchemy import func, select

from mancrel.audit.models import AuditEntry
from mancrel.contact.models import Contact
from mancrel.core.permissions import Role
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, Message
from mancrel.worker.models import OutboxMessage
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, receive


async def _classify_jobs(db, message: Message) -> int:
    return await db.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.task_name == "ai.process_message", OutboxMessage.kwargs["message_id"].astext == str(message.id)))


async def test_not_junk_moves_a_relayed_form_mail_into_the_inbox_as_the_reply_to_persons(client, db) -> None:
    rep = await make_user(db, role=Role.rep)
    channel = await make_channel(db)
    # A form service's mail that carries bulk headers: the gate keeps it junk at intake.
    junked = await receive(db, channel, inbound(
        "no-reply@trailhead-outfitters.example", name="Trailhead Outfitters", subject="New contact form message",
        text="Name: Clara Jung\nI need 4 pairs of the merino socks in size L. Ship to Berlin by Friday?",
        headers=[("Reply-To", "Clara Jung <clara.jung@example.net>"), ("Precedence", "bulk")]))
    assert junked.is_junk and await _classify_jobs(db, junked) == 0

    response = await client.patch(f"/api/v1/conversations/{junked.conversation_id}", headers=auth_headers(rep),
                                  json={"junk": False})

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["is_junk"], body["counterpart"], body["status"]) == (False, "clara.jung@example.net", "open")
    conversation = await db.get(Conversation, junked.conversation_id)
    contact = await db.get(Contact, conversation.contact_id)
    assert contact.emails == ["clara.jung@example.net"] and contact.lifecycle_stage == "lead"
    await db.refresh(junked)
    assert (junked.is_junk, junked.sender, junked.processed_at) == (False, "clara.jung@example.net", None)
    assert await _classify_jobs(db, junked) == 1  # classified, then the reply step, as a new customer mail
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.entity_id == str(conversation.id),
                                                     AuditEntry.action == "conversation.not_junk"))
    assert entry.actor_id == rep.id and entry.before["junk_reason"] == "Precedence: bulk"
    assert entry.after["counterpart"] == "clara.jung@example.net"
    reply = await inbox_service.reply(db, conversation=conversation, text="Yes, by Friday.", actor=rep)
    assert reply.recipients["to"] == ["clara.jung@example.net"]
    # The conversation is in the inbox now, not under the junk filter.
    listed = (await client.get("/api/v1/conversations", headers=auth_headers(rep))).json()["items"]
    assert str(conversation.id) in [c["id"] for c in listed]


async def test_not_junk_keeps_an_ordinary_sender_and_junk_true_is_refused(client, db) -> None:
    rep = await make_user(db, role=Role.rep)
    channel = await make_channel(db)
    junked = await receive(db, channel, inbound("orders@supplier.example", headers=[("Precedence", "bulk")]))
    url = f"/api/v1/conversations/{junked.conversation_id}"

    refused = await client.patch(url, headers=auth_headers(rep), json={"junk": True})
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert (await db.get(Conversation, junked.conversation_id)).is_junk

    moved = await client.patch(url, headers=auth_headers(rep), json={"junk": False})
    assert moved.status_code == 200 and moved.json()["counterpart"] == "orders@supplier.example"
    assert moved.json()["contact"]["emails"] == ["orders@supplier.example"]
