"""Every inbox query. Conversation visibility is core/permissions' conversations rule (`visible_filter`)."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai.models import Classification
from mancrel.contact.models import Contact
from mancrel.core.permissions import Actor, visible_filter
from mancrel.inbox.models import Attachment, Conversation, Direction, Message

UNRANKED = 9  # conversations not classified yet sort after every priority


class InboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- contact merges ------------------------------------------------------------------
    async def conversation_ids_of_contact(self, contact_id: uuid.UUID) -> list[uuid.UUID]:
        return list(await self.session.scalars(select(Conversation.id).where(Conversation.contact_id == contact_id)))

    async def set_conversation_contact(self, ids: Sequence[uuid.UUID], contact_id: uuid.UUID) -> None:
        if ids:
            await self.session.execute(update(Conversation).where(Conversation.id.in_(ids))
                                       .values(contact_id=contact_id).execution_options(synchronize_session="fetch"))

    # --- intake -------------------------------------------------------------------------
    async def lock_counterpart(self, channel_id: uuid.UUID, counterpart: str) -> None:
        """Serialise intake per sender and channel: two mails from a new sender arriving at once
        make one contact and one conversation, not two."""
        await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                                   {"key": f"inbox:{channel_id}:{counterpart}"})

    async def lock_counterparts(self, keys: Sequence[tuple[uuid.UUID, str]]) -> None:
        """`lock_counterpart` for a batch, in one statement and in key order: two batches that
        share senders take their locks in the same order, so neither waits on the other in a circle."""
        if keys:
            await self.session.execute(text(
                "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM "
                "(SELECT DISTINCT k FROM unnest(CAST(:keys AS text[])) AS k ORDER BY k) AS sorted"),
                {"keys": [f"inbox:{channel_id}:{counterpart}" for channel_id, counterpart in keys]})

    async def message_by_provider_id(self, channel_id: uuid.UUID, provider_ids: Sequence[str]) -> Message | None:
        """The first of `provider_ids` (in the order given) stored on this channel."""
        ids = [i for i in provider_ids if i]
        if not ids:
            return None
        rows = {m.provider_message_id: m for m in await self.session.scalars(
            select(Message).where(Message.channel_id == channel_id, Message.provider_message_id.in_(ids)))}
        return next((rows[i] for i in ids if i in rows), None)

    async def stored_provider_ids(self, channel_id: uuid.UUID, provider_ids: Sequence[str]) -> dict[str, uuid.UUID]:
        """Which of `provider_ids` are stored on this channel, each with its message's conversation."""
        if not provider_ids:
            return {}
        rows = await self.session.execute(select(Message.provider_message_id, Message.conversation_id).where(
            Message.channel_id == channel_id, Message.provider_message_id.in_(list(set(provider_ids)))))
        return {provider_id: conversation_id for provider_id, conversation_id in rows.all()}

    async def conversations_by_subjects(self, channel_id: uuid.UUID, pairs: set[tuple[str, str]],
                                        since: datetime) -> dict[tuple[str, str], Conversation]:
        """`conversation_by_subject` (not junk) for many (counterpart, subject key) pairs in one query."""
        if not pairs:
            return {}
        rows = await self.session.scalars(
            select(Conversation)
            .where(Conversation.channel_id == channel_id, Conversation.is_junk.is_(False),
                   Conversation.last_message_at >= since,
                   tuple_(Conversation.counterpart, Conversation.subject_key).in_(list(pairs)))
            .order_by(Conversation.counterpart, Conversation.subject_key, Conversation.last_message_at.desc())
            .ext(distinct_on(Conversation.counterpart, Conversation.subject_key)))
        return {(c.counterpart, c.subject_key): c for c in rows}

    async def conversation_by_subject(self, channel_id: uuid.UUID, counterpart: str, subject_key: str,
                                      since: datetime, *, junk: bool) -> Conversation | None:
        return await self.session.scalar(
            select(Conversation)
            .where(Conversation.channel_id == channel_id, Conversation.counterpart == counterpart,
                   Conversation.subject_key == subject_key, Conversation.last_message_at >= since,
                   Conversation.is_junk.is_(junk))
            .order_by(Conversation.last_message_at.desc()).limit(1))

    async def conversation_by_counterpart(self, channel_id: uuid.UUID, counterpart: str) -> Conversation | None:
        """A chat's one running conversation with this customer on this channel (closed ones reopen)."""
        return await self.session.scalar(
            select(Conversation)
            .where(Conversation.channel_id == channel_id, Conversation.counterpart == counterpart,
                   Conversation.is_junk.is_(False))
            .order_by(Conversation.last_message_at.desc()).limit(1))

    async def last_inbound(self, conversation_id: uuid.UUID) -> Message | None:
        """The customer's newest message in the conversation (a chat reply quotes it)."""
        return await self.session.scalar(
            select(Message).where(Message.conversation_id == conversation_id, Message.direction == Direction.inbound)
            .order_by(Message.occurred_at.desc(), Message.id.desc()).limit(1))

    async def get_conversation(self, conversation_id: uuid.UUID) -> Conversation | None:
        return await self.session.get(Conversation, conversation_id)

    async def get_message(self, message_id: uuid.UUID) -> Message | None:
        return await self.session.get(Message, message_id)

    async def lock_message(self, message_id: uuid.UUID) -> Message | None:
        """The message as committed now, locked until the transaction ends: two reports of one
        delivery's fate (a bounce and the send job, Meta's webhook twice) act one after the other."""
        return await self.session.scalar(select(Message).where(Message.id == message_id).with_for_update()
                                         .execution_options(populate_existing=True))

    async def outbound_by_provider_ids(self, channel_id: uuid.UUID, provider_ids: Sequence[str]) -> list[Message]:
        if not provider_ids:
            return []
        return list(await self.session.scalars(select(Message).where(
            Message.channel_id == channel_id, Message.direction == Direction.outbound,
            Message.provider_message_id.in_(list(provider_ids)))))

    async def claim_unclassified(self, first: uuid.UUID | None, limit: int) -> list[Message]:
        """Inbound customer messages waiting for classification, `first` among them when it still
        waits; rows another worker holds are skipped, so bursts are shared out in batches."""
        order = [(Message.id == first).desc(), Message.created_at] if first else [Message.created_at]
        stmt = (select(Message)
                .where(Message.processed_at.is_(None), Message.direction == Direction.inbound,
                       Message.is_junk.is_(False))
                .order_by(*order).limit(limit).with_for_update(skip_locked=True))
        return list(await self.session.scalars(stmt))

    async def conversations_by_id(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Conversation]:
        rows = await self.session.scalars(select(Conversation).where(Conversation.id.in_(list(ids))))
        return {c.id: c for c in rows}

    # --- reads --------------------------------------------------------------------------
    async def get_visible_conversation(self, conversation_id: uuid.UUID, actor: Actor) -> Conversation | None:
        return await self.session.scalar(select(Conversation).where(
            Conversation.id == conversation_id, visible_filter(Conversation, actor)))

    async def sees_channel(self, channel_id: uuid.UUID, actor: Actor) -> bool:
        """Whether the actor may see at least one conversation on the channel."""
        return await self.session.scalar(select(self.conversations(actor, [Conversation.channel_id == channel_id])
                                                .exists())) or False

    def conversations(self, actor: Actor, where: Sequence[Any]) -> Select:
        return select(Conversation).where(visible_filter(Conversation, actor), *where)

    async def messages_of(self, conversation_id: uuid.UUID, *, limit: int,
                          after: tuple[datetime, uuid.UUID] | None) -> list[Message]:
        stmt = select(Message).where(Message.conversation_id == conversation_id)
        if after is not None:
            stmt = stmt.where(tuple_(Message.occurred_at, Message.id) > tuple_(*after))
        return list(await self.session.scalars(stmt.order_by(Message.occurred_at, Message.id).limit(limit + 1)))

    async def attachments_of(self, message_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Attachment]]:
        found: dict[uuid.UUID, list[Attachment]] = {}
        if message_ids:
            rows = await self.session.scalars(
                select(Attachment).where(Attachment.message_id.in_(list(message_ids))).order_by(Attachment.filename))
            for row in rows:
                found.setdefault(row.message_id, []).append(row)
        return found

    async def classifications_of(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Classification]:
        if not ids:
            return {}
        return {c.id: c for c in await self.session.scalars(
            select(Classification).where(Classification.id.in_(list(ids))))}

    async def get_attachment(self, attachment_id: uuid.UUID) -> Attachment | None:
        return await self.session.get(Attachment, attachment_id)

    async def reset_unread(self, conversation_id: uuid.UUID) -> None:
        await self.session.execute(update(Conversation).where(Conversation.id == conversation_id)
                                   .values(unread_count=0).execution_options(synchronize_session="fetch"))


@dataclass(frozen=True)
class ConversationFilters:
    status: str | None = None
    channel_id: uuid.UUID | None = None
    assignee: uuid.UUID | str | None = None  # a user id, "none" (unassigned) or None (anyone)
    intent: str | None = None
    priority: str | None = None
    q: str | None = None
    junk: bool = False

    def clauses(self) -> list[Any]:
        where: list[Any] = [Conversation.is_junk.is_(self.junk)]
        if self.status:
            where.append(Conversation.status == self.status)
        if self.channel_id:
            where.append(Conversation.channel_id == self.channel_id)
        if self.assignee == "none":
            where.append(Conversation.assignee_id.is_(None))
        elif isinstance(self.assignee, uuid.UUID):
            where.append(Conversation.assignee_id == self.assignee)
        if self.intent:
            where.append(Conversation.intent == self.intent)
        if self.priority:
            where.append(Conversation.priority == self.priority)
        if self.q:
            where.append(_matches(self.q))
        return where


def _matches(q: str) -> Any:
    """`q` over the subject, any message's text and the contact's name or email."""
    pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    in_messages = select(Message.id).where(Message.conversation_id == Conversation.id,
                                           func.lower(Message.text).like(pattern))
    in_contact = select(Contact.id).where(Contact.id == Conversation.contact_id, Contact.search_text.like(pattern))
    return or_(func.lower(Conversation.subject).like(pattern), Conversation.counterpart.like(pattern),
               exists(in_messages.correlate(Conversation)), exists(in_contact.correlate(Conversation)))


_rank = func.coalesce(Conversation.priority_rank, UNRANKED)


def keyset(stmt: Select, sort: str, after: list[Any] | None) -> Select:
    """Newest activity first; or by priority (urgent first), then within one priority the oldest activity
    first: the customer who has waited longest is at the top of their priority, not at its bottom."""
    if sort == "priority":
        if after is not None:
            rank, at, last_id = after
            stmt = stmt.where(or_(_rank > rank, and_(_rank == rank,
                                                     tuple_(Conversation.last_message_at, Conversation.id)
                                                     > tuple_(at, last_id))))
        return stmt.order_by(_rank, Conversation.last_message_at, Conversation.id)
    if after is not None:
        at, last_id = after
        stmt = stmt.where(tuple_(Conversation.last_message_at, Conversation.id) < tuple_(at, last_id))
    return stmt.order_by(Conversation.last_message_at.desc(), Conversation.id.desc())


def cursor_values(conversation: Conversation, sort: str) -> list[Any]:
    values = [conversation.last_message_at, conversation.id]
    if sort == "priority":
        rank = conversation.priority_rank
        values.insert(0, UNRANKED if rank is None else rank)
    return values
