"""Mail a website's contact form relays (From a no-reply address, Reply-To the customer) is the
customer's: their contact, the conversation's counterpart and where replies go, not junk. Real
automated mail (no Reply-To, or bulk headers) stays junk."""

import hashlib
import hmac
import json
import time
import uuid

from sqlalchemy import select

from mancrel.channel import tasks
from mancrel.channel.models import InboundEvent
from mancrel.contact.models import Contact
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, Message
from tests.channel.factories import SHOP, SIGNING_KEY, basic, form_body, make_channel, postmark_payload

RELAY = "no-reply@trailhead-outfitters.example"
CLARA = "Clara Jung <clara.jung@example.net>"
FORM_TEXT = ("Name: Clara Jung\nEmail: clara.jung@example.net\nMessage: I need 4 pairs of the merino socks in "
             "size L. Can you ship to Berlin by Friday?")


def _relayed(extra_headers: list[list[str]] | None = None, *, reply_to: str | None = CLARA) -> dict[str, str]:
    """A Mailgun forward of a contact-form mail."""
    headers = [["From", f"Trailhead Outfitters <{RELAY}>"], ["To", SHOP], ["Subject", "New contact form message"],
               ["Message-Id", f"<{uuid.uuid4().hex}@forms.example>"], *(extra_headers or [])]
    if reply_to:
        headers.append(["Reply-To", reply_to])
    timestamp, token = str(int(time.time())), uuid.uuid4().hex
    return {"sender": "bounces@forms.example", "from": f"Trailhead Outfitters <{RELAY}>", "recipient": SHOP,
            "subject": "New contact form message", "body-plain": FORM_TEXT, "message-headers": json.dumps(headers),
            "timestamp": timestamp, "token": token,
            "signature": hmac.new(SIGNING_KEY.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()}


async def _delivered(client, db, channel, body: bytes, headers: dict) -> Message:
    response = await client.post(f"/webhook/email/{channel.id}", content=body, headers=headers)
    assert response.status_code == 200, response.text
    for event in list(await db.scalars(select(InboundEvent).where(InboundEvent.channel_id == channel.id))):
        await tasks.ingest_event.run_async(db, event_id=event.id)
    return await db.scalar(select(Message).where(Message.channel_id == channel.id))


async def test_a_contact_form_mail_is_the_reply_to_persons_and_replies_go_to_them(client, db) -> None:
    channel = await make_channel(db, settings={"smtp": {"host": "127.0.0.1", "port": 25, "security": "none"}})

    message = await _delivered(client, db, channel, *form_body(_relayed()))

    assert (message.sender, message.sender_name, message.is_junk) == ("clara.jung@example.net", "Clara Jung", False)
    conversation = await db.get(Conversation, message.conversation_id)
    contact = await db.get(Contact, conversation.contact_id)
    assert conversation.counterpart == "clara.jung@example.net" and not conversation.is_junk
    assert contact.emails == ["clara.jung@example.net"] and (contact.first_name, contact.last_name) == ("Clara", "Jung")
    reply = await inbox_service.reply(db, conversation=conversation, text="Yes, by Friday.", actor=None)
    assert reply.recipients["to"] == ["clara.jung@example.net"]


async def test_a_relayed_mail_with_bulk_headers_or_without_reply_to_stays_junk(client, db) -> None:
    cases = {"newsletter": _relayed([["List-Unsubscribe", "<https://trailhead.example/unsub>"]]),
             "bulk": _relayed([["Precedence", "bulk"]]),
             "no reply-to": _relayed(reply_to=None),
             "reply-to a machine": _relayed(reply_to="notifications@trailhead-outfitters.example")}
    for name, fields in cases.items():
        channel = await make_channel(db)
        message = await _delivered(client, db, channel, *form_body(fields))
        conversation = await db.get(Conversation, message.conversation_id)
        assert message.is_junk and conversation.is_junk and conversation.contact_id is None, name
        assert message.sender == RELAY, name


async def test_postmarks_reply_to_field_counts_too(client, db) -> None:
    channel = await make_channel(db, inbound="postmark")
    payload = postmark_payload() | {"FromFull": {"Email": "noreply@formspree.example", "Name": "Formspree"},
                                    "ReplyTo": CLARA}

    message = await _delivered(client, db, channel, json.dumps(payload).encode(),
                               {"content-type": "application/json"} | basic())

    assert (message.sender, message.is_junk) == ("clara.jung@example.net", False)
