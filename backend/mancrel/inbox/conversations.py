"""Reading and triaging conversations: the inbox list, one conversation, assign, close, snooze."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.channel.models import Channel, ChannelKind
from mancrel.contact import service as contact_service
from mancrel.core.db import utcnow
from mancrel.core.errors import Forbidden
from mancrel.core.pagination import decode_cursor, page_of
from mancrel.core.permissions import Actor, can_assign_to
from mancrel.inbox import not_junk
from mancrel.inbox import service as inbox_service
from mancrel.inbox.chat import CHAT_KINDS, HUMAN_AGENT_WINDOW, REPLY_WINDOW, messenger_tag, window_open
from mancrel.inbox.exceptions import ConversationNotFound, InvalidAssignee
from mancrel.inbox.models import Conversation, ConversationStatus, Message
from mancrel.inbox.repository import ConversationFilters, InboxRepository, cursor_values, keyset
from mancrel.inbox.schemas import ConversationUpdate, ReplyOptions
from mancrel.inbox.store import ANSWERED_JOB
from mancrel.user import service as user_service
from mancrel.worker.outbox import enqueue

_CURSOR_PARSERS = {"activity": (datetime.fromisoformat, uuid.UUID),
                   "priority": (int, datetime.fromisoformat, uuid.UUID)}


async def get_visible(session: AsyncSession, conversation_id: uuid.UUID, actor: Actor) -> Conversation:
    conversation = await InboxRepository(session).get_visible_conversation(conversation_id, actor)
    if conversation is None:
        raise ConversationNotFound(f"No conversation with id {conversation_id}.")
    return conversation


async def sees_channel(session: AsyncSession, channel_id: uuid.UUID, actor: Actor) -> bool:
    """Whether the actor answers anyone on the channel (a conversation there they may see)."""
    return await InboxRepository(session).sees_channel(channel_id, actor)


async def list_page(session: AsyncSession, *, actor: Actor, filters: ConversationFilters, sort: str, limit: int,
                    cursor: str | None) -> tuple[list[Conversation], str | None]:
    after = decode_cursor(cursor, _CURSOR_PARSERS[sort]) if cursor else None
    stmt = keyset(InboxRepository(session).conversations(actor, filters.clauses()), sort, after).limit(limit + 1)
    rows = list(await session.scalars(stmt))
    return page_of(rows, limit, key=lambda c: cursor_values(c, sort))


async def contacts_of(session: AsyncSession, conversations: list[Conversation]) -> dict[uuid.UUID, Any]:
    return await contact_service.get_many(session, [c.contact_id for c in conversations if c.contact_id])


async def channel_kinds_of(session: AsyncSession, conversations: list[Conversation]) -> dict[uuid.UUID, str]:
    """Each conversation's channel kind; a shop has a handful of channels, kept by the session's identity map."""
    kinds = {}
    for channel_id in {c.channel_id for c in conversations}:
        channel = await session.get(Channel, channel_id)
        if channel is not None:
            kinds[channel_id] = str(channel.kind)
    return kinds


def reply_window_closes_at(conversation: Conversation, kind: str | None) -> datetime | None:
    """When free-form replies stop being accepted on a chat channel (chat.window_open's edge); None on email."""
    if kind not in CHAT_KINDS:
        return None
    if conversation.last_inbound_at is None:  # the customer never wrote: closed from the start
        return conversation.created_at
    return conversation.last_inbound_at + REPLY_WINDOW


def reply_options(conversation: Conversation, kind: str | None, now: datetime | None = None) -> ReplyOptions:
    """What a person may send now, by the same rules the reply endpoint applies (inbox/chat.py)."""
    now = now or utcnow()
    last = conversation.last_inbound_at
    if kind not in CHAT_KINDS or window_open(last, now):
        return ReplyOptions(free_text=True, template_required=False, human_agent_tag_until=None)
    if kind == ChannelKind.messenger and messenger_tag(last, now, human=True):
        return ReplyOptions(free_text=True, template_required=False, human_agent_tag_until=last + HUMAN_AGENT_WINDOW)
    return ReplyOptions(free_text=False, template_required=kind == ChannelKind.whatsapp, human_agent_tag_until=None)


async def update(session: AsyncSession, *, conversation: Conversation, data: ConversationUpdate,
                 actor: Actor) -> Conversation:
    fields = data.model_fields_set
    if data.junk is False:
        await not_junk.move_to_inbox(session, conversation=conversation, actor=actor)
    before = audit_service.snapshot(conversation, ["status", "assignee_id", "snoozed_until"])
    if "assignee_id" in fields and data.assignee_id != conversation.assignee_id:
        await _check_assignee(session, actor, data.assignee_id)
        conversation.assignee_id = data.assignee_id
    if "status" in fields and data.status is not None:
        if data.status == ConversationStatus.closed and conversation.status != ConversationStatus.closed:
            enqueue(session, ANSWERED_JOB, conversation_id=conversation.id)  # nothing left to chase
        conversation.status = data.status
    if "snoozed_until" in fields:
        conversation.snoozed_until = data.snoozed_until
    if data.read:
        conversation.unread_count = 0
    await session.flush()
    old, new = audit_service.changed(before, audit_service.snapshot(
        conversation, ["status", "assignee_id", "snoozed_until"]))
    if new:
        await audit_service.record(session, actor=actor, action="conversation.updated", entity_type="conversation",
                                   entity_id=conversation.id, before=old, after=new)
    owner = await contact_service.get(session, conversation.contact_id) if conversation.contact_id else None
    inbox_service.publish_conversation_event(session, conversation, owner.owner_id if owner else None)
    return conversation


async def _check_assignee(session: AsyncSession, actor: Actor, assignee_id: uuid.UUID | None) -> None:
    if not can_assign_to(actor, assignee_id):
        raise Forbidden("Reps can take a conversation or leave it unassigned, not hand it to someone else.")
    if assignee_id is None:
        return
    user = await user_service.get(session, assignee_id)
    if user is None or not user.is_active:
        raise InvalidAssignee("No active user has that id.",
                              errors=[{"field": "assignee_id", "in": "body", "message": "unknown user"}])


async def messages_page(session: AsyncSession, *, conversation: Conversation, limit: int,
                        cursor: str | None) -> tuple[list[Message], str | None]:
    after = tuple(decode_cursor(cursor, (datetime.fromisoformat, uuid.UUID))) if cursor else None
    rows = await InboxRepository(session).messages_of(conversation.id, limit=limit, after=after)
    return page_of(rows, limit, key=lambda m: (m.occurred_at, m.id))
