"""Meta channels and deliveries shaped as Meta sends them (PROTOCOLS.md "Meta")."""

import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel import service as channel_service
from mancrel.channel import tasks
from mancrel.channel.models import InboundEvent
from mancrel.channel.schemas import ChannelCreate
from mancrel.contact.models import Contact
from mancrel.core.db import utcnow
from mancrel.inbox import chat
from mancrel.inbox import service as inbox_service
from mancrel.inbox.inbound import InboundChat
from mancrel.inbox.models import Conversation, Message
from tests.channel.meta.graph_server import PAGE_ID, PHONE_NUMBER_ID, TOKEN, WABA_ID

APP_SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
VERIFY_TOKEN = "mancrel-verify-7"
SECRETS = {"app_secret": APP_SECRET, "access_token": TOKEN, "verify_token": VERIFY_TOKEN}
CUSTOMER_WA = "4915112345678"


async def make_meta_channel(session: AsyncSession, kind: str = "whatsapp", *, graph_url: str | None = None,
                            owner_id=None, business_account_id: str | None = WABA_ID):
    settings: dict[str, Any] = ({"phone_number_id": PHONE_NUMBER_ID, "display_phone_number": "+49 30 1234567"}
                                if kind == "whatsapp" else {"page_id": PAGE_ID})
    if kind == "whatsapp" and business_account_id:
        settings["business_account_id"] = business_account_id
    if graph_url:
        settings["graph_base_url"] = graph_url
    channel = await channel_service.create(session, actor=None, data=ChannelCreate(
        kind=kind, name=f"{kind} {uuid.uuid4().hex[:6]}", settings=settings, secrets=SECRETS,
        default_owner_id=owner_id))
    await session.flush()
    return channel


def signed(payload: dict | bytes, secret: str = APP_SECRET) -> tuple[bytes, dict[str, str]]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"content-type": "application/json", "x-hub-signature-256": signature}


def wa_delivery(*messages: dict, statuses: list[dict] | None = None, name: str = "Ann Buyer",
                wa_id: str = CUSTOMER_WA) -> dict:
    value: dict[str, Any] = {"messaging_product": "whatsapp",
                             "metadata": {"display_phone_number": "49301234567", "phone_number_id": PHONE_NUMBER_ID}}
    if messages:
        value["contacts"] = [{"profile": {"name": name}, "wa_id": wa_id}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = statuses
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "WABA-1", "changes": [{"value": value, "field": "messages"}]}]}


def wa_message(kind: str = "text", *, wamid: str | None = None, wa_id: str = CUSTOMER_WA,
               at: int | None = None, **part: Any) -> dict:
    message: dict[str, Any] = {"from": wa_id, "id": wamid or f"wamid.{uuid.uuid4().hex}",
                               "timestamp": str(at or int(time.time())), "type": kind}
    if kind == "text":
        message["text"] = {"body": part.pop("body", "Hello, do you ship to Berlin?")}
    elif kind == "contacts":
        message["contacts"] = part.pop("cards")
    elif part:
        message[kind] = part
    return message


def wa_status(wamid: str, status: str, *, errors: list[dict] | None = None) -> dict:
    found = {"id": wamid, "status": status, "timestamp": str(int(time.time())), "recipient_id": CUSTOMER_WA}
    if errors:
        found["errors"] = errors
    return found


def fb_delivery(*events: dict) -> dict:
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": int(time.time() * 1000), "messaging": list(events)}]}


def fb_message(psid: str = "6543210987654321", *, text: str = "Is the blue lamp back in stock?",
               mid: str | None = None, echo: bool = False) -> dict:
    message: dict[str, Any] = {"mid": mid or f"m_{uuid.uuid4().hex}", "text": text}
    if echo:
        message["is_echo"] = True
        message["app_id"] = 1517776481860111
    sender, recipient = (PAGE_ID, psid) if echo else (psid, PAGE_ID)
    return {"sender": {"id": sender}, "recipient": {"id": recipient}, "timestamp": int(time.time() * 1000),
            "message": message}


async def post(client, channel_id, payload: dict | bytes, **kwargs):
    body, headers = signed(payload, **kwargs)
    return await client.post(f"/webhook/meta/{channel_id}", content=body, headers=headers)


async def events_of(db, channel_id) -> list[InboundEvent]:
    return list(await db.scalars(select(InboundEvent).where(InboundEvent.channel_id == channel_id)
                                 .order_by(InboundEvent.received_at, InboundEvent.dedupe_key)
                                 .execution_options(populate_existing=True)))


async def ingest_all(db, channel_id) -> list[Message]:
    """Run each pending event's ingest job (as the worker would) and return the channel's messages."""
    for event in await events_of(db, channel_id):
        if event.status == "pending":
            await tasks.ingest_event.run_async(db, event_id=event.id)
    await db.flush()  # as the job's commit would: what it changed is written before the reads below
    return list(await db.scalars(select(Message).where(Message.channel_id == channel_id)
                                 .order_by(Message.occurred_at, Message.id)
                                 .execution_options(populate_existing=True)))


async def chat_conversation(session: AsyncSession, channel, *, owner, wrote_ago: timedelta,
                            counterpart: str = CUSTOMER_WA) -> Conversation:
    """A customer of `owner` who wrote on the chat channel `wrote_ago` ago: their contact, conversation and
    message as intake stores them, without intake's jobs (classification is not what these tests are about)."""
    wrote = utcnow() - wrote_ago
    contact = Contact(id=uuid.uuid4(), first_name="Ann", last_name="Buyer", owner_id=owner.id,
                      whatsapp_id=counterpart if channel.kind == "whatsapp" else None,
                      messenger_psid=counterpart if channel.kind == "messenger" else None)
    conversation = Conversation(id=uuid.uuid4(), channel_id=channel.id, contact_id=contact.id, counterpart=counterpart,
                                subject="Where is my lamp?", last_message_at=wrote, last_inbound_at=wrote)
    session.add_all([contact, conversation])
    await session.flush()
    session.add(Message(id=uuid.uuid4(), conversation_id=conversation.id, channel_id=channel.id, direction="inbound",
                        sender=counterpart, text="Where is my lamp?", provider_message_id=f"wamid.IN{uuid.uuid4().hex}",
                        status="received", processed_at=wrote, occurred_at=wrote))
    await session.flush()
    return conversation


async def queued_chat_reply(session: AsyncSession, graph, kind: str = "whatsapp", *,
                            provider_message_id: str | None = None) -> tuple[uuid.UUID, uuid.UUID]:
    """A WhatsApp (or Messenger) customer's question received on a channel talking to the Graph API stand-in
    `graph`, and a person's reply to it queued, all committed: (the reply's message id, the channel id).
    The question's Meta id is new each call unless `provider_message_id` is given."""
    channel = await make_meta_channel(session, kind, graph_url=graph.url)
    sender = CUSTOMER_WA if kind == "whatsapp" else "6543210987654321"
    question = await chat.receive_chat(session, channel=channel, chat=InboundChat(
        sender_id=sender,
        provider_message_id=provider_message_id or (f"wamid.{uuid.uuid4().hex}" if kind == "whatsapp"
                                                    else f"m_{uuid.uuid4().hex}"),
        text="Do you ship to Berlin?", occurred_at=datetime.now(UTC), sender_name="Ann Buyer"))
    conversation = await session.get(Conversation, question.conversation_id)
    answer = await inbox_service.reply(session, conversation=conversation, text="Yes, in two days.", actor=None)
    await session.commit()
    return answer.id, channel.id
