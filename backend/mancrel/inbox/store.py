"""What every intake and reply of the inbox shares, whatever the channel: a new conversation,
inserting a message once, a conversation's bookkeeping when a message arrives or leaves, and the
live events browsers hear, and handing a reply to its channel's send job. Below service.py (email)
and chat.py (WhatsApp, Messenger)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel import events
from mancrel.audit import service as audit_service
from mancrel.contact import service as contact_service
from mancrel.contact.models import Contact
from mancrel.core.db import utcnow
from mancrel.inbox.models import Conversation, ConversationStatus, Message
from mancrel.inbox.text import subject_key
from mancrel.worker.outbox import enqueue

# The reply step's job that resolves a conversation's escalations once we answered it or a person closed it.
ANSWERED_JOB = "reply.conversation_answered"


def new_conversation(channel_id: uuid.UUID, counterpart: str, subject: str, *, contact_id: uuid.UUID | None,
                     is_junk: bool = False) -> Conversation:
    return Conversation(id=uuid.uuid4(), channel_id=channel_id, counterpart=counterpart, contact_id=contact_id,
                        subject=(subject or "")[:998], subject_key=subject_key(subject), is_junk=is_junk,
                        status=ConversationStatus.open, unread_count=0, last_message_at=utcnow())


async def insert_message(session: AsyncSession, message: Message) -> bool:
    """Add the message; False when a concurrent intake stored the same one first."""
    try:
        async with session.begin_nested():
            session.add(message)
            await session.flush()
    except IntegrityError:
        return False
    return True


def touch(conversation: Conversation, at: datetime, *, inbound: bool, junk: bool = False) -> None:
    conversation.last_message_at = max(conversation.last_message_at or at, at)
    if inbound and not junk:
        conversation.last_inbound_at = max(conversation.last_inbound_at or at, at)
        conversation.unread_count = (conversation.unread_count or 0) + 1
        if conversation.status == ConversationStatus.closed:  # a new matter: its triage starts over
            conversation.intent = conversation.priority = conversation.priority_rank = None
        # Closed, waiting for the customer or snoozed: their writing puts it back on us.
        conversation.status = ConversationStatus.open
        conversation.snoozed_until = None


async def owner_of(session: AsyncSession, conversation: Conversation) -> uuid.UUID | None:
    if conversation.contact_id is None:
        return None
    contact = await contact_service.get(session, conversation.contact_id)
    return contact.owner_id if contact is not None else None


# --- live events --------------------------------------------------------------------------
def _audiences(conversation: Conversation, owner_id: uuid.UUID | None) -> list[Any]:
    """Who may hear of a conversation: its contact's owner (with managers), and its assignee."""
    audiences: list[Any] = [owner_id]
    if conversation.assignee_id is not None and owner_id is not None and conversation.assignee_id != owner_id:
        audiences.append(conversation.assignee_id)
    return audiences


def publish_message_event(session: AsyncSession, topic: str, conversation: Conversation, message: Message,
                          owner_id: uuid.UUID | None = None) -> None:
    payload = {"conversation_id": str(conversation.id), "message_id": str(message.id),
               "direction": message.direction, "status": message.status}
    for audience in _audiences(conversation, owner_id):
        events.publish_after_commit(session, topic, payload, audience=audience)


def publish_conversation_event(session: AsyncSession, conversation: Conversation,
                               owner_id: uuid.UUID | None) -> None:
    payload = {"conversation_id": str(conversation.id), "status": conversation.status,
               "assignee_id": str(conversation.assignee_id) if conversation.assignee_id else None,
               "intent": conversation.intent, "priority": conversation.priority,
               "unread_count": conversation.unread_count}
    for audience in _audiences(conversation, owner_id):
        events.publish_after_commit(session, "conversation.updated", payload, audience=audience)


def announce(session: AsyncSession, conversation: Conversation, message: Message, contact: Contact | None) -> None:
    owner_id = contact.owner_id if contact is not None else None
    publish_message_event(session, "message.created", conversation, message, owner_id)
    publish_conversation_event(session, conversation, owner_id)


async def queue_outbound(session: AsyncSession, conversation: Conversation, message: Message, *,
                         send_job: str, actor: Any = None) -> Message:
    """Store a reply as queued and hand it to its channel's send job (after commit); the
    conversation now waits for the customer, and browsers hear of both. A person answering a conversation
    nobody holds takes it: the customer's next message comes back to them."""
    session.add(message)
    if actor is not None and getattr(actor, "id", None) is not None and conversation.assignee_id is None:
        conversation.assignee_id = actor.id
        await audit_service.record(session, actor=actor, action="conversation.updated", entity_type="conversation",
                                   entity_id=conversation.id, before={"assignee_id": None},
                                   after={"assignee_id": actor.id})
    touch(conversation, message.occurred_at, inbound=False)
    conversation.unread_count = 0
    if conversation.status == ConversationStatus.open:
        conversation.status = ConversationStatus.pending  # waiting for the customer now
    await session.flush()
    enqueue(session, send_job, message_id=message.id)
    owner_id = await owner_of(session, conversation)
    publish_message_event(session, "message.created", conversation, message, owner_id)
    publish_conversation_event(session, conversation, owner_id)
    return message
