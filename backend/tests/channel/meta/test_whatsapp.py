"""WhatsApp deliveries into the inbox: every message kind, the junk gate, statuses on our replies,
media through the Graph API stand-in, and one contact across email and WhatsApp."""

import time

import pytest
from sqlalchemy import select

from mancrel.channel import meta_tasks, tasks
from mancrel.contact.models import Contact
from mancrel.core.permissions import Role
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Attachment, Conversation, DeliveryStatus, Direction, Message
from mancrel.worker.errors import TransientError
from mancrel.worker.models import OutboxMessage
from tests.channel.meta.factories import (
    CUSTOMER_WA,
    events_of,
    ingest_all,
    make_meta_channel,
    post,
    wa_delivery,
    wa_message,
    wa_status,
)
from tests.channel.meta.graph_server import MEDIA_BYTES
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_contact, receive
from tests.inbox.factories import make_channel as make_email_channel

KINDS = [
    (wa_message("text", body="Do you have the lamp in blue?"), "Do you have the lamp in blue?"),
    (wa_message("image", id="MEDIA1", mime_type="image/jpeg", sha256="h", caption="This one"), "[image]\nThis one"),
    (wa_message("document", id="MEDIA2", mime_type="application/pdf", filename="invoice-77.pdf"),
     "[document: invoice-77.pdf]"),
    (wa_message("audio", id="MEDIA3", mime_type="audio/ogg; codecs=opus", voice=True), "[audio]"),
    (wa_message("video", id="MEDIA4", mime_type="video/mp4", caption="Broken on arrival"),
     "[video]\nBroken on arrival"),
    (wa_message("sticker", id="MEDIA5", mime_type="image/webp", animated=False), "[sticker]"),
    (wa_message("location", latitude=52.52, longitude=13.405, name="Shop Mitte", address="Torstr. 1, Berlin"),
     "[location] Shop Mitte, Torstr. 1, Berlin (52.52, 13.405)"),
    (wa_message("contacts", cards=[{"name": {"formatted_name": "Bob Buyer", "first_name": "Bob"},
                                    "phones": [{"phone": "+49 151 5555555", "type": "CELL"}]}]),
     "[contact card]\nBob Buyer +49 151 5555555"),
    (wa_message("button", payload="more-info", text="Tell me more"), "Tell me more"),
    (wa_message("interactive", type="button_reply", button_reply={"id": "yes", "title": "Yes, reserve it"}),
     "Yes, reserve it"),
    (wa_message("interactive", type="list_reply",
                list_reply={"id": "size-m", "title": "Size M", "description": "Chest 96-101 cm"}),
     "Size M\nChest 96-101 cm"),
]


async def test_every_message_kind_becomes_an_inbound_message_in_one_conversation(client, db) -> None:
    channel = await make_meta_channel(db)
    assert (await post(client, channel.id, wa_delivery(*[m for m, _ in KINDS]))).json()["stored"] == len(KINDS)

    messages = await ingest_all(db, channel.id)

    assert sorted(m.text for m in messages) == sorted(text for _, text in KINDS)
    assert {m.direction for m in messages} == {Direction.inbound} and not any(m.is_junk for m in messages)
    assert {m.conversation_id for m in messages} == {messages[0].conversation_id}
    image = next(m for m in messages if m.headers["kind"] == "image")
    assert image.headers["media"] == {"id": "MEDIA1", "mime_type": "image/jpeg", "sha256": "h"}
    location = next(m for m in messages if m.headers["kind"] == "location")
    assert location.headers["location"]["latitude"] == 52.52
    # Each message goes to the classifier; each media message also gets its download job.
    jobs = list(await db.scalars(select(OutboxMessage).where(OutboxMessage.task_name.in_(
        ["ai.process_message", "channel.fetch_media"]))))
    assert sum(j.task_name == "ai.process_message" for j in jobs) == len(KINDS)
    assert sum(j.task_name == "channel.fetch_media" for j in jobs) == 5
    conversation = await db.get(Conversation, messages[0].conversation_id)
    assert conversation.counterpart == CUSTOMER_WA and conversation.unread_count == len(KINDS)


async def test_system_notices_reactions_and_status_only_deliveries_are_no_customer_messages(client, db) -> None:
    channel = await make_meta_channel(db)
    noise = wa_delivery(
        wa_message("system", body="Ann changed their phone number", type="customer_changed_number"),
        wa_message("reaction", message_id="wamid.X", emoji="👍"),
        wa_message("unsupported", errors=[{"code": 131051, "title": "Message type unknown"}]),
        statuses=[wa_status("wamid.NOT-OURS", "delivered")])
    await post(client, channel.id, noise)
    for event in await events_of(db, channel.id):  # as the worker would, the status past its wait
        event.received_at = event.received_at.replace(year=2020)
    await db.flush()

    assert await ingest_all(db, channel.id) == []
    assert {e.status for e in await events_of(db, channel.id)} == {"processed"}
    assert await db.scalar(select(Contact).where(Contact.whatsapp_id == CUSTOMER_WA)) is None


async def _outbound(db, channel, conversation_id, wamid: str) -> Message:
    message = Message(conversation_id=conversation_id, channel_id=channel.id, direction=Direction.outbound,
                      sender="106540352242922", text="Yes, in blue.", provider_message_id=wamid,
                      status=DeliveryStatus.sent)
    db.add(message)
    await db.flush()
    return message


async def test_statuses_move_our_reply_forward_and_failures_keep_metas_error(client, db) -> None:
    channel = await make_meta_channel(db)
    await post(client, channel.id, wa_delivery(wa_message(body="Blue?")))
    [question] = await ingest_all(db, channel.id)
    reply = await _outbound(db, channel, question.conversation_id, "wamid.OUT1")
    other = await _outbound(db, channel, question.conversation_id, "wamid.OUT2")

    await post(client, channel.id, wa_delivery(statuses=[wa_status("wamid.OUT1", "read")]))
    await post(client, channel.id, wa_delivery(statuses=[wa_status("wamid.OUT1", "delivered")]))  # late
    await post(client, channel.id, wa_delivery(statuses=[wa_status("wamid.OUT2", "failed", errors=[{
        "code": 131047, "title": "Re-engagement message",
        "error_data": {"details": "More than 24 hours have passed since the recipient last replied."}}])]))
    await ingest_all(db, channel.id)

    await db.refresh(reply)
    await db.refresh(other)
    assert reply.status == "read" and reply.read_at is not None and reply.delivered_at is not None
    assert other.status == "failed"
    assert other.failure_reason == ("131047 Re-engagement message: More than 24 hours have passed since the "
                                    "recipient last replied.")
    # What the rep's thread shows.
    manager = auth_headers(await make_user(db, role=Role.manager))
    thread = (await client.get(f"/api/v1/conversations/{question.conversation_id}/messages",
                               headers=manager)).json()["items"]
    shown = {m["provider_message_id"]: m for m in thread}
    assert shown["wamid.OUT1"]["status"] == "read" and shown["wamid.OUT1"]["read_at"] is not None
    assert shown["wamid.OUT2"]["status"] == "failed" and "131047" in shown["wamid.OUT2"]["failure_reason"]


async def test_one_contact_across_email_and_whatsapp(client, db) -> None:
    known = await make_contact(db, email="ann@customer.example", first_name="Ann")
    known.phones = ["+4915112345678"]
    email_channel = await make_email_channel(db)
    by_mail = await receive(db, email_channel, inbound("ann@customer.example", name="Ann Buyer"))
    channel = await make_meta_channel(db)

    await post(client, channel.id, wa_delivery(wa_message(body="Ann here, on WhatsApp now")))
    [by_chat] = await ingest_all(db, channel.id)

    chat_conversation = await db.get(Conversation, by_chat.conversation_id)
    mail_conversation = await db.get(Conversation, by_mail.conversation_id)
    assert chat_conversation.contact_id == mail_conversation.contact_id == known.id
    await db.refresh(known)
    assert known.whatsapp_id == CUSTOMER_WA
    assert await db.scalar(select(Contact).where(Contact.whatsapp_id == CUSTOMER_WA, Contact.id != known.id)) is None


async def test_an_unknown_number_becomes_a_lead_with_its_e164_phone_and_profile_name(client, db) -> None:
    channel = await make_meta_channel(db)
    await post(client, channel.id, wa_delivery(wa_message(wa_id="351912345678"), name="Carla Cliente",
                                               wa_id="351912345678"))
    [message] = await ingest_all(db, channel.id)
    contact = await db.scalar(select(Contact).join(Conversation, Conversation.contact_id == Contact.id)
                              .where(Conversation.id == message.conversation_id))
    assert (contact.first_name, contact.last_name) == ("Carla", "Cliente")
    assert contact.phones == ["+351912345678"] and contact.whatsapp_id == "351912345678"
    assert contact.source == "whatsapp" and contact.lifecycle_stage == "lead"


async def test_media_is_downloaded_through_the_graph_api_and_kept_as_an_attachment(client, db, graph) -> None:
    channel = await make_meta_channel(db, graph_url=graph.url)
    await post(client, channel.id, wa_delivery(wa_message("image", id="MEDIA77", mime_type="image/png",
                                                          caption="Scratch on the lid")))
    [message] = await ingest_all(db, channel.id)

    assert await meta_tasks.fetch_media.run_async(db, message_id=message.id) == "stored"

    [attachment] = list(await db.scalars(select(Attachment).where(Attachment.message_id == message.id)))
    assert attachment.content == MEDIA_BYTES and attachment.size == len(MEDIA_BYTES)
    assert attachment.content_type == "image/png"
    asked = [(r.method, r.path, r.authorization) for r in graph.state.requests]
    assert asked == [("GET", "/v21.0/MEDIA77", "Bearer EAAG-test-access-token"),
                     ("GET", "/media/file-1", "Bearer EAAG-test-access-token")]
    # A redelivered job finds the attachment and does not fetch again.
    assert await meta_tasks.fetch_media.run_async(db, message_id=message.id) == "skipped"
    assert len(graph.state.requests) == 2


async def test_media_over_the_cap_keeps_its_metadata_only(client, db, graph, monkeypatch) -> None:
    monkeypatch.setattr(inbox_service, "ATTACHMENT_CONTENT_CAP", 100)
    channel = await make_meta_channel(db, graph_url=graph.url)
    await post(client, channel.id, wa_delivery(wa_message("image", id="MEDIA78", mime_type="image/png")))
    [message] = await ingest_all(db, channel.id)

    assert await meta_tasks.fetch_media.run_async(db, message_id=message.id) == "too large: metadata only"

    [attachment] = list(await db.scalars(select(Attachment).where(Attachment.message_id == message.id)))
    assert attachment.content is None and attachment.size == len(MEDIA_BYTES)


async def test_old_message_timestamps_are_kept_as_when_the_customer_wrote(client, db) -> None:
    channel = await make_meta_channel(db)
    written = int(time.time()) - 3600
    await post(client, channel.id, wa_delivery(wa_message(at=written)))
    [message] = await ingest_all(db, channel.id)
    assert abs(message.occurred_at.timestamp() - written) < 1


async def test_a_status_for_a_reply_not_yet_recorded_waits_for_it(client, db) -> None:
    # Meta may report "sent" before our send job has stored the wamid: the event is retried, not lost.
    channel = await make_meta_channel(db)
    await post(client, channel.id, wa_delivery(statuses=[wa_status("wamid.SOON", "sent")]))
    [event] = await events_of(db, channel.id)

    with pytest.raises(TransientError):
        await tasks.ingest_event.run_async(db, event_id=event.id)

    [event] = await events_of(db, channel.id)
    assert event.status == "pending"
