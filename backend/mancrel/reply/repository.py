"""Every reply query: knowledge entries, suggestions (visibility through their conversation), and
the reads loop protection and the daily cap make."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity.models import Activity
from mancrel.contact.models import Contact
from mancrel.core.permissions import Actor, visible_filter
from mancrel.inbox.models import Conversation, DeliveryStatus, Direction, Message
from mancrel.reply.models import (
    ContactReplyPreference,
    Decision,
    Escalation,
    KnowledgeEntry,
    KnowledgeVersion,
    Suggestion,
    SuggestionAudit,
    SuggestionStatus,
)

REVIEWED = (SuggestionStatus.approved, SuggestionStatus.edited, SuggestionStatus.rejected)
REACHED_CUSTOMER = (DeliveryStatus.sent, DeliveryStatus.delivered, DeliveryStatus.read)


def _review_of(status: str, draft: str | None, sent: str | None, reject_reason: str | None = None) -> str:
    """A person's verdict on a suggestion: an approved reply that then failed to reach the customer
    (`send_failed`) was still approved, or edited when the text sent differs from the draft; a reply
    sent automatically that a manager judged (verdicts.py) counts as approved, or rejected when wrong."""
    if status in (SuggestionStatus.sent, SuggestionStatus.send_failed) and reject_reason:
        return SuggestionStatus.rejected  # judged wrong, whether or not it then reached the customer
    if status == SuggestionStatus.sent:
        return SuggestionStatus.approved
    if status != SuggestionStatus.send_failed:
        return status
    return SuggestionStatus.approved if (sent or "").strip() == (draft or "").strip() else SuggestionStatus.edited


class KnowledgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_live(self, entry_id: uuid.UUID) -> KnowledgeEntry | None:
        return await self.session.scalar(select(KnowledgeEntry).where(
            KnowledgeEntry.id == entry_id, KnowledgeEntry.deleted_at.is_(None)))

    async def topic_taken(self, topic: str, *, other_than: uuid.UUID | None = None) -> bool:
        stmt = select(KnowledgeEntry.id).where(KnowledgeEntry.topic == topic, KnowledgeEntry.deleted_at.is_(None))
        if other_than is not None:
            stmt = stmt.where(KnowledgeEntry.id != other_than)
        return await self.session.scalar(stmt.limit(1)) is not None

    async def list_live(self) -> list[KnowledgeEntry]:
        return list(await self.session.scalars(select(KnowledgeEntry).where(KnowledgeEntry.deleted_at.is_(None))
                                               .order_by(KnowledgeEntry.topic)))

    async def for_intent(self, intent: str) -> list[KnowledgeEntry]:
        return list(await self.session.scalars(select(KnowledgeEntry).where(
            KnowledgeEntry.deleted_at.is_(None), KnowledgeEntry.intents.contains([intent]))
            .order_by(KnowledgeEntry.topic)))

    async def by_ids(self, ids: Sequence[uuid.UUID]) -> list[KnowledgeEntry]:
        """Live entries among `ids`, as they read now."""
        if not ids:
            return []
        return list(await self.session.scalars(select(KnowledgeEntry).where(
            KnowledgeEntry.id.in_(list(ids)), KnowledgeEntry.deleted_at.is_(None))))

    async def versions(self, entry_id: uuid.UUID) -> list[KnowledgeVersion]:
        return list(await self.session.scalars(select(KnowledgeVersion).where(KnowledgeVersion.entry_id == entry_id)
                                               .order_by(KnowledgeVersion.version.desc())))


class SuggestionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_message(self, message_id: uuid.UUID) -> Suggestion | None:
        return await self.session.scalar(select(Suggestion).where(Suggestion.message_id == message_id))

    async def for_sent_message(self, message_id: uuid.UUID) -> Suggestion | None:
        """The suggestion whose reply `message_id` is (sent automatically or approved), locked."""
        return await self.session.scalar(select(Suggestion).where(Suggestion.sent_message_id == message_id)
                                         .with_for_update().execution_options(populate_existing=True))

    async def get_for_update(self, suggestion_id: uuid.UUID) -> Suggestion | None:
        return await self.session.scalar(select(Suggestion).where(Suggestion.id == suggestion_id)
                                         .with_for_update().execution_options(populate_existing=True))

    async def get_visible(self, suggestion_id: uuid.UUID, actor: Actor) -> Suggestion | None:
        return await self.session.scalar(
            select(Suggestion).join(Conversation, Conversation.id == Suggestion.conversation_id)
            .where(Suggestion.id == suggestion_id, visible_filter(Conversation, actor)))

    def visible(self, actor: Actor, where: Sequence[Any]) -> Select:
        return (select(Suggestion).join(Conversation, Conversation.id == Suggestion.conversation_id)
                .where(visible_filter(Conversation, actor), *where))

    async def page(self, stmt: Select, *, limit: int, after: tuple[datetime, uuid.UUID] | None) -> list[Suggestion]:
        if after is not None:
            stmt = stmt.where(tuple_(Suggestion.created_at, Suggestion.id) < tuple_(*after))
        stmt = stmt.order_by(Suggestion.created_at.desc(), Suggestion.id.desc()).limit(limit + 1)
        return list(await self.session.scalars(stmt))

    async def customers(self, suggestions: Sequence[Suggestion]) -> dict[uuid.UUID, str]:
        """Each suggestion's customer as a list shows it: the contact's name, else the conversation's address."""
        if not suggestions:
            return {}
        rows = await self.session.execute(
            select(Suggestion.id, Contact.first_name, Contact.last_name, Conversation.counterpart)
            .join(Conversation, Conversation.id == Suggestion.conversation_id)
            .outerjoin(Contact, Contact.id == Suggestion.contact_id)
            .where(Suggestion.id.in_([s.id for s in suggestions])))
        return {sid: " ".join(p for p in (first, last) if p) or counterpart
                for sid, first, last, counterpart in rows}

    async def audit_of(self, suggestion_id: uuid.UUID) -> list[SuggestionAudit]:
        return list(await self.session.scalars(select(SuggestionAudit).where(
            SuggestionAudit.suggestion_id == suggestion_id).order_by(SuggestionAudit.occurred_at, SuggestionAudit.id)))

    async def audit_between(self, since: datetime, until: datetime, *, batch: int = 1000):
        """Every audit row in [since, until), oldest first, fetched in keyset batches."""
        after: tuple[datetime, uuid.UUID] | None = None
        while True:
            stmt = select(SuggestionAudit).where(SuggestionAudit.occurred_at >= since,
                                                 SuggestionAudit.occurred_at < until)
            if after is not None:
                stmt = stmt.where(tuple_(SuggestionAudit.occurred_at, SuggestionAudit.id) > tuple_(*after))
            rows = list(await self.session.scalars(
                stmt.order_by(SuggestionAudit.occurred_at, SuggestionAudit.id).limit(batch)))
            for row in rows:
                yield row
            if len(rows) < batch:
                return
            after = (rows[-1].occurred_at, rows[-1].id)

    async def reviewed(self) -> list[tuple[str, float, str]]:
        """(intent, confidence, status) of every suggestion a person approved, edited or rejected, and of every
        automatic reply a manager judged."""
        rows = await self.session.execute(
            select(Suggestion.intent, Suggestion.confidence, Suggestion.status, Suggestion.draft_text,
                   Suggestion.sent_text, Suggestion.reject_reason)
            .where(Suggestion.status.in_(REVIEWED)
                   | (Suggestion.status.in_((SuggestionStatus.send_failed, SuggestionStatus.sent))
                      & Suggestion.reviewed_at.is_not(None))))
        return [(intent, float(confidence), _review_of(status, draft, sent, reason))
                for intent, confidence, status, draft, sent, reason in rows]

    async def confirmed_since(self, since: datetime | None) -> int:
        """Reviews that confirmed an intent after `since` (all of them when None)."""
        stmt = select(func.count()).select_from(Suggestion).where(Suggestion.confirmed_intent.is_not(None))
        if since is not None:
            stmt = stmt.where(Suggestion.reviewed_at > since)
        return await self.session.scalar(stmt) or 0

    async def decided_confidences(self) -> list[float]:
        """The confidence of every message the reply step decided (not the ignored ones)."""
        return [float(c) for c in await self.session.scalars(
            select(Suggestion.confidence).where(Suggestion.decision != Decision.ignore))]

    async def never_auto_reply(self, contact_id: uuid.UUID) -> bool:
        return bool(await self.session.scalar(select(ContactReplyPreference.never_auto_reply).where(
            ContactReplyPreference.contact_id == contact_id)))

    async def auto_sent_since(self, contact_id: uuid.UUID, since: datetime) -> int:
        return await self.session.scalar(select(func.count()).select_from(Suggestion).where(
            Suggestion.contact_id == contact_id, Suggestion.decision == Decision.auto_send,
            Suggestion.status == SuggestionStatus.sent, Suggestion.created_at >= since)) or 0

    async def last_outbound_was_automatic(self, conversation_id: uuid.UUID) -> bool:
        """Whether the conversation's latest message from us was sent by the reply step on its own."""
        last = await self.session.scalar(
            select(Message.id).where(Message.conversation_id == conversation_id,
                                     Message.direction == Direction.outbound)
            .order_by(Message.occurred_at.desc(), Message.created_at.desc()).limit(1))
        if last is None:
            return False
        return await self.session.scalar(select(Suggestion.id).where(
            Suggestion.sent_message_id == last, Suggestion.decision == Decision.auto_send).limit(1)) is not None

    # Superseding (superseding.py): a draft whose conversation was answered after its message.
    async def newest_answer_since(self, suggestion: Suggestion, received_at: datetime) -> Message | None:
        """Our newest reply in the conversation written after the customer's message, not this draft's own."""
        stmt = (select(Message).where(Message.conversation_id == suggestion.conversation_id,
                                      Message.direction == Direction.outbound,
                                      Message.status != DeliveryStatus.failed,
                                      Message.created_at >= received_at,
                                      Message.id.is_distinct_from(suggestion.sent_message_id))
                .order_by(Message.created_at.desc(), Message.id.desc()).limit(1))
        return await self.session.scalar(stmt)

    async def pending_before(self, conversation_id: uuid.UUID, answered: Message) -> list[Suggestion]:
        """The conversation's pending drafts for messages received before `answered`, locked."""
        stmt = (select(Suggestion).join(Message, Message.id == Suggestion.message_id)
                .where(Suggestion.conversation_id == conversation_id,
                       Suggestion.status == SuggestionStatus.pending,
                       Message.created_at <= answered.created_at)
                .order_by(Suggestion.created_at).with_for_update(of=Suggestion))
        return list(await self.session.scalars(stmt))


class EscalationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def overdue(self, now: datetime, *, limit: int) -> list[Escalation]:
        """Open escalations past due, oldest due first, locked; rows another worker holds are skipped,
        so two beat runs never re-route the same one twice."""
        return list(await self.session.scalars(
            select(Escalation).where(Escalation.resolved_at.is_(None), Escalation.due_at < now)
            .order_by(Escalation.due_at).limit(limit).with_for_update(skip_locked=True)))

    async def has_open_task(self, conversation_id: uuid.UUID) -> bool:
        """Whether a person already has an undone task for the conversation: an escalation's, or one a
        failed reply left (messages.follow_up_task_id)."""
        escalated = select(Escalation.task_id).where(Escalation.conversation_id == conversation_id,
                                                     Escalation.resolved_at.is_(None))
        followed_up = select(Message.follow_up_task_id).where(
            Message.conversation_id == conversation_id, Message.follow_up_task_id.is_not(None))
        return await self.session.scalar(select(exists().where(
            Activity.id.in_(escalated.union_all(followed_up)), Activity.done_at.is_(None),
            Activity.deleted_at.is_(None)))) or False

    async def open_follow_up_task(self, conversation_id: uuid.UUID) -> uuid.UUID | None:
        """An undone task an earlier failed reply of the conversation opened (messages.follow_up_task_id)."""
        return await self.session.scalar(
            select(Message.follow_up_task_id).join(Activity, Activity.id == Message.follow_up_task_id)
            .where(Message.conversation_id == conversation_id, Activity.done_at.is_(None),
                   Activity.deleted_at.is_(None)).limit(1))

    async def task_still_needed(self, task_id: uuid.UUID, *, other_than: uuid.UUID) -> bool:
        """Whether another reply that has still not reached the customer shares the task."""
        return await self.session.scalar(select(exists().where(
            Message.follow_up_task_id == task_id, Message.id != other_than,
            Message.status == DeliveryStatus.failed))) or False

    async def open_of_conversation(self, conversation_id: uuid.UUID, *,
                                   answered_by: Message | None = None) -> list[Escalation]:
        """The conversation's unresolved escalations, locked; with `answered_by` (a reply of ours), only those
        of customer messages written before it, and not the one of its own failure (send_recovery.py
        closes that, restoring its suggestion)."""
        stmt = select(Escalation).where(Escalation.conversation_id == conversation_id,
                                        Escalation.resolved_at.is_(None))
        if answered_by is not None:
            stmt = stmt.join(Suggestion, Suggestion.id == Escalation.suggestion_id).join(
                Message, Message.id == Suggestion.message_id).where(
                Message.occurred_at <= answered_by.occurred_at,
                Suggestion.sent_message_id.is_distinct_from(answered_by.id))
        return list(await self.session.scalars(stmt.order_by(Escalation.created_at).with_for_update(
            of=Escalation)))

    async def answered_since(self, escalation: Escalation) -> bool:
        """Whether a reply of ours reached the customer after the escalated message arrived."""
        asked = select(Message.occurred_at).join(Suggestion, Suggestion.message_id == Message.id).where(
            Suggestion.id == escalation.suggestion_id).scalar_subquery()
        return await self.session.scalar(select(exists().where(
            Message.conversation_id == escalation.conversation_id, Message.direction == Direction.outbound,
            Message.status.in_(REACHED_CUSTOMER), Message.occurred_at >= asked))) or False

    async def queue(self, actor: Actor, *, limit: int) -> list[Any]:
        """The escalation queue: per conversation the actor may see, its newest open escalation whose task
        is undone and theirs to read, with its suggestion, conversation, contact, task and how many are open;
        soonest due first. Rows: (Escalation, Suggestion, Conversation, Contact | None, Activity | None, int)."""
        open_ = (select(Escalation.id, func.row_number().over(
            partition_by=Escalation.conversation_id,
            order_by=(Escalation.created_at.desc(), Escalation.id.desc())).label("newest"),
            func.count().over(partition_by=Escalation.conversation_id).label("open_count"))
            .join(Conversation, Conversation.id == Escalation.conversation_id)
            .outerjoin(Activity, Activity.id == Escalation.task_id)
            .where(Escalation.resolved_at.is_(None), Activity.done_at.is_(None), Activity.deleted_at.is_(None),
                   visible_filter(Conversation, actor), visible_filter(Activity, actor))
            .subquery())
        return list(await self.session.execute(
            select(Escalation, Suggestion, Conversation, Contact, Activity, open_.c.open_count)
            .join(open_, open_.c.id == Escalation.id)
            .join(Suggestion, Suggestion.id == Escalation.suggestion_id)
            .join(Conversation, Conversation.id == Escalation.conversation_id)
            .outerjoin(Contact, Contact.id == Conversation.contact_id)
            .outerjoin(Activity, Activity.id == Escalation.task_id)
            .where(open_.c.newest == 1).order_by(Escalation.due_at, Escalation.id).limit(limit)))

    async def for_suggestion(self, suggestion_id: uuid.UUID) -> Escalation | None:
        return await self.session.scalar(select(Escalation).where(Escalation.suggestion_id == suggestion_id))
