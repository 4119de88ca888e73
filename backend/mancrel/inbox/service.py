"""Inbox use cases: take in an email, reply to a conversation, and the email job's bookkeeping.

Intake, in one transaction (the caller's): find the thread (In-Reply-To, References right to left,
then the subject with the same counterpart within 30 days), find or make the contact, gate junk,
store the message and its attachments, queue `ai.process_message` and tell browsers. Flushes,
never commits.
"""

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai.own_words import own_words
from mancrel.channel.models import Channel
from mancrel.contact import service as contact_service
from mancrel.contact.models import Contact
from mancrel.core.db import utcnow
from mancrel.inbox import bounce_reason, junk
from mancrel.inbox.chat import CHAT_KINDS, reply_chat, reply_template
from mancrel.inbox.chat import reply_window_open as reply_window_open  # the reply step asks before drafting
from mancrel.inbox.delivery_failure import RECOVERED_JOB, fail_outbound
from mancrel.inbox.exceptions import CannotReply
from mancrel.inbox.inbound import InboundChat, InboundEmail
from mancrel.inbox.models import (
    Attachment,
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    Direction,
    Message,
)
from mancrel.inbox.repository import InboxRepository
from mancrel.inbox.schemas import TemplateReply
from mancrel.inbox.store import ANSWERED_JOB, publish_message_event, queue_outbound
from mancrel.inbox.store import announce as _announce
from mancrel.inbox.store import insert_message as _insert
from mancrel.inbox.store import new_conversation as _new_conversation
from mancrel.inbox.store import owner_of as _owner_of
from mancrel.inbox.store import owner_of as owner_of  # for the reply step
from mancrel.inbox.store import publish_conversation_event as publish_conversation_event  # for the reply step
from mancrel.inbox.store import touch as _touch
from mancrel.inbox.text import html_to_text, subject_key
from mancrel.insights.profile_signal import request_refresh
from mancrel.worker.outbox import enqueue

SUBJECT_THREAD_WINDOW = timedelta(days=30)
_REPLY_PREFIX = re.compile(r"^(re|aw|sv|antw)\s*:", re.IGNORECASE)
ATTACHMENT_CONTENT_CAP = 10 * 1024 * 1024  # bigger attachments keep their metadata, not their bytes
# Headers kept on the message: what threading and the junk gate read, for "why" questions later.
KEPT_HEADERS = ("message-id", "in-reply-to", "references", "auto-submitted", "precedence", "list-unsubscribe",
                "list-id", "x-autoreply", "x-autorespond", "return-path", "content-type", "date", "reply-to")


def shop_addresses(channel: Any) -> set[str]:
    address = (channel.settings or {}).get("address")
    return {address.strip().lower()} if address else set()


def provider_id(email: InboundEmail) -> str:
    """The Message-ID, or a hash of what identifies the mail when it has none."""
    if email.message_id and junk.bare_id(email.message_id):
        return junk.bare_id(email.message_id)[:998]
    digest = hashlib.sha256("\x00".join([
        email.from_address.lower(), email.subject, (email.date.isoformat() if email.date else ""),
        email.text or "", email.html or ""]).encode("utf-8", "replace")).hexdigest()
    return f"sha256:{digest}"


def _sender(email: InboundEmail) -> str:
    return email.from_address.strip().lower()[:320]


async def lock_senders(session: AsyncSession, items: list[tuple[uuid.UUID, Any]]) -> None:
    """Take the intake locks of a batch's (channel id, InboundEmail | InboundChat) items at once, in
    one order (see InboxRepository.lock_counterparts); the per-message lock is then already held."""
    keys = [(channel_id, _sender(item) if isinstance(item, InboundEmail) else item.sender_id)
            for channel_id, item in items if isinstance(item, InboundEmail | InboundChat)]
    await InboxRepository(session).lock_counterparts(keys)


async def receive_email(session: AsyncSession, *, channel: Any, email: InboundEmail) -> Message | None:
    """Store an inbound email in its conversation; None when this channel already has it.
    (email_batch.receive_emails does the same for many mails of one channel at once.)"""
    repo = InboxRepository(session)
    key = provider_id(email)
    sender = _sender(email)
    await repo.lock_counterpart(channel.id, sender)  # before the check: a concurrent copy has committed by now
    if await repo.message_by_provider_id(channel.id, [key]) is not None:
        return None
    verdict = junk.judge(email, shop_addresses=shop_addresses(channel))
    if verdict is not None and verdict.is_bounce:
        await _fail_bounced(session, channel.id, email)
    now = utcnow()
    occurred = min(email.date, now) if email.date else now
    if verdict is None:
        contact = await _identify(session, channel, sender, email.from_name)
        conversation = await _thread(session, channel.id, email, sender, now) or _new_conversation(
            channel.id, sender, email.subject, contact_id=contact.id)
        if conversation.contact_id != contact.id:  # the thread's contact was merged away since
            conversation.contact_id = contact.id
    else:
        contact = None
        conversation = await repo.conversation_by_subject(
            channel.id, sender, subject_key(email.subject), now - SUBJECT_THREAD_WINDOW, junk=True) or \
            _new_conversation(channel.id, sender, email.subject, contact_id=None, is_junk=True)
    message = build_message(channel.id, email, key, sender, verdict)
    session.add(conversation)
    await session.flush()
    message.conversation_id = conversation.id
    if not await _insert(session, message):
        return None
    for attachment in email.attachments:
        session.add(build_attachment(message.id, attachment))
    _touch(conversation, occurred, inbound=True, junk=verdict is not None)
    await session.flush()
    if contact is not None:
        await contact_service.record_contact_made(session, contact_id=contact.id, at=occurred)
        # First: the profile refresh is quick, and must not wait behind a classification batch.
        request_refresh(session, contact.id)  # what they ask about shapes their recommendations
        enqueue(session, "ai.process_message", message_id=message.id)
    _announce(session, conversation, message, contact)
    return message


async def _identify(session: AsyncSession, channel: Any, address: str, name: str) -> Contact:
    """The sender's contact: the most recently active holder of the address, or a new lead."""
    matches = await contact_service.find_by_email(session, address)
    if matches:
        return matches[0]
    return await contact_service.create_from_channel(session, email=address, name=name or "", source="email",
                                                     owner_id=channel.default_owner_id)


def thread_references(email: InboundEmail) -> list[str]:
    """What the mail answers, in the order threading tries them (In-Reply-To, References right to left)."""
    return [junk.bare_id(r) for r in [email.in_reply_to, *reversed(email.references)] if r]


async def _thread(session: AsyncSession, channel_id: uuid.UUID, email: InboundEmail, sender: str,
                  now: datetime) -> Conversation | None:
    repo = InboxRepository(session)
    earlier = await repo.message_by_provider_id(channel_id, thread_references(email))
    if earlier is not None:
        conversation = await repo.get_conversation(earlier.conversation_id)
        if conversation is not None and not conversation.is_junk:
            return conversation
    key = subject_key(email.subject)
    if not key:
        return None
    return await repo.conversation_by_subject(channel_id, sender, key, now - SUBJECT_THREAD_WINDOW, junk=False)


def build_message(channel_id: uuid.UUID, email: InboundEmail, key: str, sender: str,
                  verdict: junk.Verdict | None) -> Message:
    body = email.text if email.text and email.text.strip() else html_to_text(email.html or "")
    wanted = set(KEPT_HEADERS)
    headers: dict[str, str] = {}
    for name, value in email.headers:
        if name.lower() in wanted and name.lower() not in headers:
            headers[name.lower()] = value[:2000]
    return Message(
        id=uuid.uuid4(), channel_id=channel_id, direction=Direction.inbound, sender=sender,
        sender_name=(email.from_name or "")[:200], recipients={"to": email.to, "cc": email.cc},
        subject=(email.subject or "")[:998], text=body, html=email.html, own_words=own_words(body),
        provider_message_id=key, in_reply_to=junk.bare_id(email.in_reply_to)[:998] if email.in_reply_to else None,
        references=[junk.bare_id(r) for r in email.references], headers=headers,
        is_junk=verdict is not None, junk_reason=verdict.reason if verdict else None,
        status=DeliveryStatus.received, occurred_at=min(email.date, utcnow()) if email.date else utcnow(),
        processed_at=utcnow() if verdict is not None else None)


def build_attachment(message_id: uuid.UUID, attachment) -> Attachment:
    content = attachment.content
    return Attachment(message_id=message_id, filename=(attachment.filename or "")[:255],
                      content_type=(attachment.content_type or "application/octet-stream")[:200],
                      size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                      content=content if len(content) <= ATTACHMENT_CONTENT_CAP else None)


async def _fail_bounced(session: AsyncSession, channel_id: uuid.UUID, email: InboundEmail) -> None:
    """A bounce of our own mail: that message failed, with the server's answer as the reason."""
    ids = junk.bounced_message_ids(email)
    reason = bounce_reason.reason(email)
    for message in await InboxRepository(session).outbound_by_provider_ids(channel_id, ids):
        await fail_outbound(session, message.id, f"bounced: {reason}")


# --- outbound -----------------------------------------------------------------------------
@dataclass(frozen=True)
class OutboundEmail:
    """What the email job sends: the channel's SMTP settings give the rest."""

    message_id: uuid.UUID
    channel_id: uuid.UUID
    status: str
    failure_reason: str | None
    from_address: str
    to: list[str]
    cc: list[str]
    subject: str
    text: str
    rfc_message_id: str          # without <>
    in_reply_to: str | None      # without <>
    references: list[str]        # without <>, oldest first


def reply_subject(subject: str) -> str:
    subject = (subject or "").strip()
    return subject if not subject or _REPLY_PREFIX.match(subject) else f"Re: {subject}"[:998]


def _thread_ids(messages: list[Message]) -> list[str]:
    """References of a reply: the thread's Message-IDs, oldest first (RFC 5322 3.6.4)."""
    ids: list[str] = []
    for message in messages:
        for ref in [*message.references, message.provider_message_id]:
            if ref and not ref.startswith("sha256:") and ref not in ids:
                ids.append(ref)
    return ids[-20:]  # long threads: the newest references are the useful ones


async def reply(session: AsyncSession, *, conversation: Conversation, text: str | None, actor: Any,
                template: TemplateReply | None = None) -> Message:
    """A rep's reply (or, with `actor=None`, the reply step's own): stored as queued and handed to the
    channel's send job after commit (email: SMTP; WhatsApp / Messenger: the Graph API, within what
    Meta allows now, else ReplyWindowClosed). `template`: an approved WhatsApp template instead of text."""
    channel = await session.get(Channel, conversation.channel_id)
    if channel is None or not channel.enabled:
        raise CannotReply("The conversation's channel is disabled or gone.")
    if template is not None:
        return await reply_template(session, conversation=conversation, channel=channel, choice=template, actor=actor)
    text = text or ""
    if channel.kind in CHAT_KINDS:  # WhatsApp / Messenger: through the Graph API, within Meta's windows
        return await reply_chat(session, conversation=conversation, channel=channel, text=text, actor=actor)
    if channel.kind != "email" or not (channel.settings or {}).get("smtp"):
        raise CannotReply("The conversation's channel has no outgoing mail server (settings.smtp) to send through.")
    from_address = channel.settings.get("address") or ""
    repo = InboxRepository(session)
    thread = await repo.messages_of(conversation.id, limit=500, after=None)
    last_inbound = next((m for m in reversed(thread) if m.direction == Direction.inbound), None)
    to = [last_inbound.sender] if last_inbound else [conversation.counterpart]
    domain = from_address.rsplit("@", 1)[-1] if "@" in from_address else None
    message = Message(
        id=uuid.uuid4(), conversation_id=conversation.id, channel_id=conversation.channel_id,
        direction=Direction.outbound, sender=from_address.lower()[:320], recipients={"to": to, "cc": []},
        subject=reply_subject(last_inbound.subject if last_inbound else conversation.subject), text=text,
        own_words=text, provider_message_id=junk.bare_id(make_msgid(domain=domain)),
        in_reply_to=(thread[-1].provider_message_id if thread and not thread[-1].provider_message_id
                     .startswith("sha256:") else None),
        references=_thread_ids(thread), status=DeliveryStatus.queued, author_id=getattr(actor, "id", None),
        processed_at=utcnow(), occurred_at=utcnow())
    return await queue_outbound(session, conversation, message, send_job="email.send_message", actor=actor)


async def outbound_email(session: AsyncSession, message_id: uuid.UUID) -> OutboundEmail | None:
    message = await InboxRepository(session).get_message(message_id)
    if message is None or message.direction != Direction.outbound:
        return None
    return OutboundEmail(
        message_id=message.id, channel_id=message.channel_id, status=message.status,
        failure_reason=message.failure_reason, from_address=message.sender,
        to=list(message.recipients.get("to", [])), cc=list(message.recipients.get("cc", [])),
        subject=message.subject, text=message.text, rfc_message_id=message.provider_message_id,
        in_reply_to=message.in_reply_to, references=list(message.references))


async def _set_delivery(session: AsyncSession, message_id: uuid.UUID, status: DeliveryStatus,
                        reason: str | None = None) -> Message | None:
    if status == DeliveryStatus.failed:  # the conversation comes back to the team: one place for every channel
        return await fail_outbound(session, message_id, reason or "")
    repo = InboxRepository(session)
    # `sent` reads the row locked: a failure's follow-up (reply.outbound_failed, which locks it too) either
    # ran first and left its task on the row, or runs after and finds the reply sent.
    message = await (repo.lock_message(message_id) if status == DeliveryStatus.sent else repo.get_message(message_id))
    if message is None:
        return None
    was_failed = message.status == DeliveryStatus.failed
    if status == DeliveryStatus.sending and was_failed:  # only a dead-letter replay sends straight from failed
        message.resent_at, message.resent_by_id = utcnow(), None
    recovered = status == DeliveryStatus.sent and (
        was_failed or message.resent_at is not None or message.follow_up_task_id is not None)
    if status == DeliveryStatus.sent and message.status != DeliveryStatus.sent:  # the customer has our answer
        enqueue(session, ANSWERED_JOB, conversation_id=message.conversation_id, message_id=message.id)
    message.status, message.failure_reason = status, reason
    if status == DeliveryStatus.sending:
        message.send_attempts += 1
    if status == DeliveryStatus.sent:
        message.sent_at = utcnow()
    await session.flush()
    conversation = await repo.get_conversation(message.conversation_id)
    if conversation is not None and status != DeliveryStatus.sending:
        owner_id = await _owner_of(session, conversation)
        publish_message_event(session, "message.updated", conversation, message, owner_id)
        if recovered and waiting_for_customer(conversation, message):
            publish_conversation_event(session, conversation, owner_id)
    if recovered:  # reached the customer after a failure: what the failure opened is closed
        enqueue(session, RECOVERED_JOB, message_id=message.id)
    return message


def waiting_for_customer(conversation: Conversation, message: Message) -> bool:
    """A failed reply of ours that went out after all: an open conversation waits for the customer again,
    unless they wrote after it (then it is still ours to answer). Whether it changed."""
    if conversation.status != ConversationStatus.open or (
            conversation.last_inbound_at is not None and conversation.last_inbound_at > message.occurred_at):
        return False
    conversation.status = ConversationStatus.pending
    return True


async def mark_sending(session: AsyncSession, message_id: uuid.UUID) -> Message | None:
    """Recorded (and committed by the caller) before the SMTP call: the attempt is on file."""
    return await _set_delivery(session, message_id, DeliveryStatus.sending)


async def mark_queued(session: AsyncSession, message_id: uuid.UUID, reason: str) -> Message | None:
    """Back in the queue after an attempt that certainly did not reach the provider (a retry follows)."""
    return await _set_delivery(session, message_id, DeliveryStatus.queued, reason[:2000])


async def mark_sent(session: AsyncSession, message_id: uuid.UUID) -> Message | None:
    return await _set_delivery(session, message_id, DeliveryStatus.sent)


async def mark_failed(session: AsyncSession, message_id: uuid.UUID, reason: str) -> Message | None:
    return await _set_delivery(session, message_id, DeliveryStatus.failed, reason[:2000])


# --- chat media (the Meta channels' media job) ------------------------------------------------
async def get_message(session: AsyncSession, message_id: uuid.UUID) -> Message | None:
    return await InboxRepository(session).get_message(message_id)


async def lock_message(session: AsyncSession, message_id: uuid.UUID) -> Message | None:
    """The message as committed now, locked until the transaction ends (its delivery is decided one at a time)."""
    return await InboxRepository(session).lock_message(message_id)


async def has_attachments(session: AsyncSession, message_id: uuid.UUID) -> bool:
    return bool((await InboxRepository(session).attachments_of([message_id])).get(message_id))


async def add_attachment(session: AsyncSession, message_id: uuid.UUID, *, filename: str, content_type: str,
                         content: bytes | None, size: int) -> Attachment:
    """A downloaded file on its message; `content` None when it was over the cap (size and type kept)."""
    attachment = Attachment(message_id=message_id, filename=filename[:255],
                            content_type=(content_type or "application/octet-stream")[:200], size=size,
                            sha256=hashlib.sha256(content).hexdigest() if content is not None else "",
                            content=content if content is not None and len(content) <= ATTACHMENT_CONTENT_CAP else None)
    session.add(attachment)
    await session.flush()
    return attachment
