"""The conversation read model names its channel's kind and, on chat channels, when the 24-hour reply
window closes: a rep (who may not read channels) gets what the app needs to draw WhatsApp bubbles and
to disable the composer with the reason before a reply is refused."""

from datetime import datetime, timedelta

from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from mancrel.inbox.models import Conversation, ConversationStatus
from tests.channel.meta.factories import make_meta_channel
from tests.contact.factories import make_contact
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, receive


async def _chat(db, kind: str, rep, *, wrote_ago: timedelta | None):
    channel = await make_meta_channel(db, kind)
    conversation = Conversation(channel_id=channel.id, counterpart="4915112345678", subject="", subject_key="",
                                status=ConversationStatus.open, unread_count=0, last_message_at=utcnow(),
                                assignee_id=rep.id,
                                last_inbound_at=utcnow() - wrote_ago if wrote_ago is not None else None)
    db.add(conversation)
    await db.flush()
    return conversation


async def test_a_whatsapp_conversation_says_its_kind_and_when_its_window_closed(client, db) -> None:
    rep = await make_user(db, role=Role.rep)
    conversation = await _chat(db, "whatsapp", rep, wrote_ago=timedelta(hours=25))

    one = await client.get(f"/api/v1/conversations/{conversation.id}", headers=auth_headers(rep))
    assert one.status_code == 200, one.text
    assert one.json()["channel_kind"] == "whatsapp"
    closes = datetime.fromisoformat(one.json()["reply_window_closes_at"])
    assert closes == conversation.last_inbound_at + timedelta(hours=24) and closes < utcnow()  # an hour ago
    listed = await client.get("/api/v1/conversations", headers=auth_headers(rep))
    [row] = [c for c in listed.json()["items"] if c["id"] == str(conversation.id)]
    assert row["channel_kind"] == "whatsapp" and row["reply_window_closes_at"] == one.json()["reply_window_closes_at"]


async def test_messenger_inside_the_window_never_written_and_email_without_one(client, db) -> None:
    rep = await make_user(db, role=Role.rep)
    fresh = await _chat(db, "messenger", rep, wrote_ago=timedelta(minutes=5))
    read = (await client.get(f"/api/v1/conversations/{fresh.id}", headers=auth_headers(rep))).json()
    assert read["channel_kind"] == "messenger"
    assert datetime.fromisoformat(read["reply_window_closes_at"]) > utcnow() + timedelta(hours=23)
    silent = await _chat(db, "messenger", rep, wrote_ago=None)
    read = (await client.get(f"/api/v1/conversations/{silent.id}", headers=auth_headers(rep))).json()
    assert datetime.fromisoformat(read["reply_window_closes_at"]) <= utcnow()  # only templates: closed

    mail = await make_channel(db, owner=rep)
    email = await receive(db, mail, inbound())
    read = (await client.get(f"/api/v1/conversations/{email.conversation_id}", headers=auth_headers(rep))).json()
    assert read["channel_kind"] == "email" and read["reply_window_closes_at"] is None


async def test_a_whatsapp_contact_shows_its_phone_in_the_conversation(client, db) -> None:
    """The inbox's contact card shows a WhatsApp customer's number (they have no email to show)."""
    rep = await make_user(db, role=Role.rep)
    contact = await make_contact(db, actor=rep, owner=rep, first_name="Priya", last_name="Shah",
                                 emails=[], phones=["+4915112345678"])
    conversation = await _chat(db, "whatsapp", rep, wrote_ago=timedelta(hours=1))
    conversation.contact_id = contact.id
    await db.flush()

    read = (await client.get(f"/api/v1/conversations/{conversation.id}", headers=auth_headers(rep))).json()
    assert read["contact"]["phones"] == ["+4915112345678"] and read["contact"]["emails"] == []
