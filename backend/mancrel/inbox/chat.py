"""Chat channels (WhatsApp, Messenger) in the inbox: take in a customer's message, apply the
provider's delivery news to our replies, and queue a reply within what Meta allows: free-form inside
the 24-hour window; after it, an approved template on WhatsApp, or on Messenger a person's reply
tagged HUMAN_AGENT up to 7 days (never an automatic one).

Intake, in one transaction (the caller's): the sender's id finds the contact (WhatsApp: by wa_id,
then by its number in E.164 so a customer known by email and phone is one contact; Messenger: by
page-scoped id, the name fetched later by a job), the chat's one conversation per sender holds the
message, then `ai.process_message` and the browsers' live events, as for email.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai.own_words import own_words
from mancrel.channel import templates
from mancrel.channel.exceptions import InvalidTemplateReply
from mancrel.channel.models import Channel, ChannelKind
from mancrel.contact import service as contact_service
from mancrel.contact.models import Contact
from mancrel.core.db import utcnow
from mancrel.core.wording import plural
from mancrel.inbox.delivery_failure import fail_outbound
from mancrel.inbox.exceptions import ReplyWindowClosed
from mancrel.inbox.inbound import DeliveryUpdate, InboundChat
from mancrel.inbox.models import Conversation, DeliveryStatus, Direction, Message
from mancrel.inbox.repository import InboxRepository
from mancrel.inbox.schemas import TemplateReply
from mancrel.inbox.store import (
    announce,
    insert_message,
    new_conversation,
    owner_of,
    publish_message_event,
    queue_outbound,
    touch,
)
from mancrel.worker.outbox import enqueue

CHAT_KINDS = frozenset({ChannelKind.whatsapp, ChannelKind.messenger})
# Meta's customer-service window: free-form replies until 24 hours after the customer's last message.
REPLY_WINDOW = timedelta(hours=24)
# Messenger's HUMAN_AGENT message tag: a person (never an automatic reply) may answer up to 7 days after.
HUMAN_AGENT_WINDOW = timedelta(days=7)
HUMAN_AGENT = "HUMAN_AGENT"
SEND_JOB = "channel.send_meta_message"
# Delivery news only moves a message forward: a late "delivered" never undoes "read".
_RANK = {DeliveryStatus.queued: 0, DeliveryStatus.sending: 1, DeliveryStatus.sent: 2, DeliveryStatus.delivered: 3,
         DeliveryStatus.read: 4, DeliveryStatus.failed: 5}


def account_id(channel: Any) -> str:
    """The shop's own id on the channel: the WhatsApp phone number id or the Facebook page id."""
    settings = channel.settings or {}
    return str(settings.get("phone_number_id") or settings.get("page_id") or "")


# --- the 24-hour window -----------------------------------------------------------------------
def window_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    """Open from the customer's last message until exactly 24 hours later (that instant is closed)."""
    return last_inbound_at is not None and now < last_inbound_at + REPLY_WINDOW


def human_agent_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    return last_inbound_at is not None and now < last_inbound_at + HUMAN_AGENT_WINDOW


def messenger_tag(last_inbound_at: datetime | None, now: datetime, *, human: bool) -> str | None:
    """HUMAN_AGENT for a person's Messenger reply sent after the 24-hour window and within 7 days;
    None for a plain RESPONSE. Asked when the reply is accepted and again when it is sent."""
    if window_open(last_inbound_at, now) or not human or not human_agent_open(last_inbound_at, now):
        return None
    return HUMAN_AGENT


def _ago(last_inbound_at: datetime | None, now: datetime) -> str:
    if last_inbound_at is None:
        return "The customer has not written on this channel"
    hours = int((now - last_inbound_at).total_seconds() // 3600)
    age = plural(hours // 24, "day") if hours >= 48 else plural(hours, "hour")
    return f"The customer last wrote {age} ago ({last_inbound_at.isoformat(timespec='minutes')})"


def free_text_refusal(kind: str, channel_id: uuid.UUID, last_inbound_at: datetime | None, now: datetime, *,
                      human: bool) -> str | None:
    """Why a typed reply may not go out now (None: it may), saying what may instead. Asked when a reply
    is accepted and again by the send job: a reply that waited in the queue past the edge is not sent."""
    if window_open(last_inbound_at, now) or (kind == ChannelKind.messenger and messenger_tag(
            last_inbound_at, now, human=human)):
        return None
    if kind == ChannelKind.whatsapp:
        instead = ("WhatsApp takes free-form replies only within the 24-hour window after the customer's last "
                   "message; send an approved template now ({\"template\": {\"name\", \"language\", \"parameters\"}}; "
                   f"GET /api/v1/channels/{channel_id}/templates lists them).")
    elif human:
        instead = ("Messenger takes a person's reply only within 7 days of the customer's last message (tagged "
                   "HUMAN_AGENT after the 24-hour window); wait for the customer to write again.")
    else:
        instead = ("automatic replies go out only within the 24-hour window; a person may answer within 7 days "
                   "(tagged HUMAN_AGENT).")
    return f"{_ago(last_inbound_at, now)}: {instead}"


async def reply_window_open(session: AsyncSession, conversation: Conversation, now: datetime | None = None) -> bool:
    """Whether a free-form reply may go out now: always on email, within 24 hours on chat channels."""
    channel = await session.get(Channel, conversation.channel_id)
    if channel is None:
        return False
    return channel.kind not in CHAT_KINDS or window_open(conversation.last_inbound_at, now or utcnow())


# --- intake ---------------------------------------------------------------------------------
async def _identify(session: AsyncSession, channel: Channel, chat: InboundChat) -> Contact:
    if channel.kind == ChannelKind.messenger:
        contact = await contact_service.find_by_chat_id(session, messenger_psid=chat.sender_id)
        if contact is None:
            contact = await contact_service.create_from_channel(
                session, email=None, name=chat.sender_name, source="messenger", owner_id=channel.default_owner_id,
                messenger_psid=chat.sender_id[:64])
            # Messenger's webhook carries no name: the profile is asked for once the contact exists.
            enqueue(session, "channel.fetch_messenger_profile", channel_id=channel.id, contact_id=contact.id)
        return contact
    contact = await contact_service.find_by_chat_id(session, whatsapp_id=chat.sender_id)
    if contact is None and chat.phone:
        matches = await contact_service.find_by_phone(session, chat.phone)
        if matches:
            contact = matches[0]
            await contact_service.link_chat_id(session, contact, whatsapp_id=chat.sender_id, phone=chat.phone)
    if contact is None:
        contact = await contact_service.create_from_channel(
            session, email=None, name=chat.sender_name, source="whatsapp", owner_id=channel.default_owner_id,
            phone=chat.phone, whatsapp_id=chat.sender_id[:64])
    return contact


def _message(channel: Channel, chat: InboundChat, occurred: datetime) -> Message:
    headers = {"kind": chat.kind, **({"media": chat.media} if chat.media else {}), **chat.details}
    if chat.phone:
        headers["phone"] = chat.phone
    return Message(
        id=uuid.uuid4(), channel_id=channel.id, direction=Direction.inbound, sender=chat.sender_id[:320],
        sender_name=chat.sender_name[:200], recipients={"to": [account_id(channel)]}, subject="", text=chat.text,
        own_words=own_words(chat.text), provider_message_id=chat.provider_message_id[:998],
        in_reply_to=chat.reply_to[:998] if chat.reply_to else None, headers=headers,
        status=DeliveryStatus.received, occurred_at=occurred)


async def receive_chat(session: AsyncSession, *, channel: Channel, chat: InboundChat) -> Message | None:
    """Store a customer's chat message in their conversation; None when this channel already has it."""
    repo = InboxRepository(session)
    await repo.lock_counterpart(channel.id, chat.sender_id)
    if await repo.message_by_provider_id(channel.id, [chat.provider_message_id]) is not None:
        return None
    contact = await _identify(session, channel, chat)
    conversation = await repo.conversation_by_counterpart(channel.id, chat.sender_id) or new_conversation(
        channel.id, chat.sender_id, chat.text.splitlines()[0][:120] if chat.text else "", contact_id=contact.id)
    conversation.contact_id = contact.id  # the thread's contact may have been merged away since
    occurred = min(chat.occurred_at, utcnow())
    message = _message(channel, chat, occurred)
    session.add(conversation)
    await session.flush()
    message.conversation_id = conversation.id
    if not await insert_message(session, message):
        return None
    touch(conversation, occurred, inbound=True)
    await session.flush()
    await contact_service.record_contact_made(session, contact_id=contact.id, at=occurred)
    enqueue(session, "ai.process_message", message_id=message.id)
    if chat.media:
        enqueue(session, "channel.fetch_media", message_id=message.id)
    announce(session, conversation, message, contact)
    return message


async def apply_delivery_update(session: AsyncSession, *, channel_id: uuid.UUID, update: DeliveryUpdate) -> str:
    """Move our outbound message on (sent, delivered, read, failed with Meta's error); what happened."""
    repo = InboxRepository(session)
    found = await repo.outbound_by_provider_ids(channel_id, [update.provider_message_id])
    if not found:
        return "unmatched"
    message = found[0]
    if _RANK[DeliveryStatus(update.status)] <= _RANK.get(DeliveryStatus(message.status), 0):
        return "stale"
    if update.status == DeliveryStatus.failed:
        await fail_outbound(session, message.id, update.error or "failed (no reason given)")
        return update.status
    message.status = update.status
    message.sent_at = message.sent_at or update.at
    if update.status in (DeliveryStatus.delivered, DeliveryStatus.read):
        message.delivered_at = message.delivered_at or update.at
    if update.status == DeliveryStatus.read:
        message.read_at = update.at
    await session.flush()
    conversation = await repo.get_conversation(message.conversation_id)
    if conversation is not None:
        publish_message_event(session, "message.updated", conversation, message, await owner_of(session, conversation))
    return update.status


# --- outbound -------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutboundChat:
    """What the Meta send job needs of a queued reply; the channel gives the rest."""

    message_id: uuid.UUID
    channel_id: uuid.UUID
    status: str
    failure_reason: str | None
    to: str            # wa_id / PSID
    text: str
    reply_to: str | None  # the customer's wamid, for WhatsApp's context.message_id
    template: dict[str, Any] | None = None  # WhatsApp: the values template_fill.fill kept
    tag: str | None = None  # Messenger: HUMAN_AGENT for a person's reply after the 24-hour window
    too_late: str | None = None  # a typed reply that waited past what Meta allows: why it is not sent


def _outbound(conversation: Conversation, channel: Channel, *, text: str, actor: Any, now: datetime,
              reply_to: str | None = None, headers: dict[str, Any] | None = None) -> Message:
    message_id = uuid.uuid4()
    return Message(
        id=message_id, conversation_id=conversation.id, channel_id=channel.id, direction=Direction.outbound,
        sender=account_id(channel), recipients={"to": [conversation.counterpart]}, text=text, own_words=text,
        # Unique per channel until Meta names it (the send job stores the wamid / mid).
        provider_message_id=f"pending:{message_id}", in_reply_to=reply_to, headers=headers or {},
        status=DeliveryStatus.queued, author_id=getattr(actor, "id", None), processed_at=now, occurred_at=now)


async def reply_chat(session: AsyncSession, *, conversation: Conversation, channel: Channel, text: str,
                     actor: Any) -> Message:
    """Queue a free-form reply; ReplyWindowClosed (nothing queued) when Meta would not take it now.
    `actor=None` is the reply step's automatic reply: never sent with Messenger's human-agent tag."""
    now = utcnow()
    refusal = free_text_refusal(channel.kind, channel.id, conversation.last_inbound_at, now, human=actor is not None)
    if refusal:
        raise ReplyWindowClosed(refusal)
    last = await InboxRepository(session).last_inbound(conversation.id)
    quoted = last.provider_message_id if last is not None and channel.kind == ChannelKind.whatsapp else None
    message = _outbound(conversation, channel, text=text, actor=actor, now=now, reply_to=quoted)
    return await queue_outbound(session, conversation, message, send_job=SEND_JOB, actor=actor)


async def reply_template(session: AsyncSession, *, conversation: Conversation, channel: Channel,
                         choice: TemplateReply, actor: Any) -> Message:
    """Queue an approved WhatsApp template, inside the window or after it; InvalidTemplateReply (422,
    nothing queued) unless it is approved and its parameters fit. Stored with the text the customer reads."""
    if channel.kind != ChannelKind.whatsapp:
        raise InvalidTemplateReply("Templates are WhatsApp's; answer this conversation with text.",
                                   errors=[{"field": "template", "in": "body", "message": "WhatsApp only"}])
    filled = await templates.usable(session, channel, choice)
    message = _outbound(conversation, channel, text=filled.text, actor=actor, now=utcnow(),
                        headers={"kind": "template", "template": filled.sent})
    return await queue_outbound(session, conversation, message, send_job=SEND_JOB, actor=actor)


async def outbound_chat(session: AsyncSession, message_id: uuid.UUID) -> OutboundChat | None:
    """A queued reply as the send job needs it, Messenger's tag decided now: a person's reply accepted just
    inside the 24-hour window but sent after it (a retry) still goes out as Meta allows."""
    repo = InboxRepository(session)
    message = await repo.get_message(message_id)
    if message is None or message.direction != Direction.outbound:
        return None
    conversation = await repo.get_conversation(message.conversation_id)
    channel = await session.get(Channel, message.channel_id)
    last_inbound_at = conversation.last_inbound_at if conversation is not None else None
    template = (message.headers or {}).get("template") if (message.headers or {}).get("kind") == "template" else None
    now, human = utcnow(), message.author_id is not None
    too_late = None if template is not None or channel is None else free_text_refusal(
        channel.kind, channel.id, last_inbound_at, now, human=human)
    return OutboundChat(message_id=message.id, channel_id=message.channel_id, status=message.status,
                        failure_reason=message.failure_reason, to=(message.recipients.get("to") or [""])[0],
                        text=message.text, reply_to=message.in_reply_to, template=template,
                        tag=messenger_tag(last_inbound_at, now, human=human), too_late=too_late)


async def record_provider_id(session: AsyncSession, message_id: uuid.UUID, provider_id: str) -> None:
    """The id Meta gave our sent message: its status updates and the customer's quotes name it."""
    message = await InboxRepository(session).get_message(message_id)
    if message is not None and provider_id:
        message.provider_message_id = provider_id[:998]
        await session.flush()
