"""Messenger deliveries: a customer's message by PSID becomes an inbound message on the page's
channel and a contact, echoes of the page's own sends are ignored, and the name comes later from
the Graph API."""

from sqlalchemy import select

from mancrel.channel import meta_tasks
from mancrel.contact.models import Contact
from mancrel.inbox.models import Attachment, Conversation
from mancrel.worker.models import OutboxMessage
from tests.channel.meta.factories import events_of, fb_delivery, fb_message, ingest_all, make_meta_channel, post
from tests.channel.meta.graph_server import MEDIA_BYTES

PSID = "6543210987654321"


async def test_a_message_becomes_an_inbound_message_and_a_contact_by_psid(client, db) -> None:
    channel = await make_meta_channel(db, "messenger")
    response = await post(client, channel.id, fb_delivery(fb_message(PSID, mid="m_1", text="Lamp in blue?")))
    assert response.json() == {"status": "accepted", "stored": 1, "duplicates": 0}

    [message] = await ingest_all(db, channel.id)

    assert (message.text, message.sender, message.provider_message_id) == ("Lamp in blue?", PSID, "m_1")
    conversation = await db.get(Conversation, message.conversation_id)
    contact = await db.get(Contact, conversation.contact_id)
    assert contact.messenger_psid == PSID and contact.source == "messenger"
    jobs = {j.task_name: j.kwargs for j in await db.scalars(select(OutboxMessage))}
    assert jobs["channel.fetch_messenger_profile"] == {"channel_id": str(channel.id), "contact_id": str(contact.id)}
    assert jobs["ai.process_message"] == {"message_id": str(message.id)}


async def test_the_same_customer_writing_again_is_the_same_contact_and_conversation(client, db) -> None:
    channel = await make_meta_channel(db, "messenger")
    await post(client, channel.id, fb_delivery(fb_message(PSID, text="Hi")))
    await post(client, channel.id, fb_delivery(fb_message(PSID, text="Are you there?")))
    first, second = await ingest_all(db, channel.id)
    assert first.conversation_id == second.conversation_id
    assert await db.scalar(select(Contact).where(Contact.messenger_psid == PSID).offset(1)) is None


async def test_echoes_are_not_stored_and_never_become_messages(client, db) -> None:
    channel = await make_meta_channel(db, "messenger")
    response = await post(client, channel.id, fb_delivery(fb_message(PSID, text="Our own reply", echo=True)))
    assert response.status_code == 200 and response.json()["stored"] == 0
    assert await events_of(db, channel.id) == []
    assert await ingest_all(db, channel.id) == []


async def test_a_redelivered_mid_is_a_duplicate(client, db) -> None:
    channel = await make_meta_channel(db, "messenger")
    delivery = fb_delivery(fb_message(PSID, mid="m_same"))
    await post(client, channel.id, delivery)
    assert (await post(client, channel.id, delivery)).json() == {"status": "accepted", "stored": 0, "duplicates": 1}
    assert len(await ingest_all(db, channel.id)) == 1


async def test_the_customers_name_is_fetched_from_the_graph_api(client, db, graph) -> None:
    graph.state.profiles[PSID] = {"first_name": "Maria", "last_name": "Rossi"}
    channel = await make_meta_channel(db, "messenger", graph_url=graph.url)
    await post(client, channel.id, fb_delivery(fb_message(PSID)))
    [message] = await ingest_all(db, channel.id)
    conversation = await db.get(Conversation, message.conversation_id)

    result = await meta_tasks.fetch_messenger_profile.run_async(db, channel_id=channel.id,
                                                                contact_id=conversation.contact_id)

    assert result == "named"
    contact = await db.get(Contact, conversation.contact_id)
    await db.refresh(contact)
    assert (contact.first_name, contact.last_name) == ("Maria", "Rossi")
    [asked] = graph.state.requests
    assert (asked.method, asked.path, asked.query, asked.authorization) == (
        "GET", f"/v21.0/{PSID}", {"fields": ["first_name,last_name"]}, "Bearer EAAG-test-access-token")


async def test_an_attachment_is_a_placeholder_line_and_its_link_is_downloaded_without_the_token(
        client, db, graph) -> None:
    channel = await make_meta_channel(db, "messenger", graph_url=graph.url)
    event = fb_message(PSID, text="")
    picture = {"type": "image", "payload": {"url": f"{graph.base}/cdn/p.jpg"}}
    event["message"] = {"mid": "m_pic", "attachments": [picture]}
    await post(client, channel.id, fb_delivery(event))
    [message] = await ingest_all(db, channel.id)
    assert message.text == "[image]" and message.headers["kind"] == "image"

    assert await meta_tasks.fetch_media.run_async(db, message_id=message.id) == "stored"

    [attachment] = list(await db.scalars(select(Attachment).where(Attachment.message_id == message.id)))
    assert attachment.content == MEDIA_BYTES and attachment.content_type == "image/jpeg"
    assert [r.authorization for r in graph.state.requests] == [None]
