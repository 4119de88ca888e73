"""Escalation: the conversation goes to a person with a deadline. Routing (team/routing.py) picks
the person: the contact's owner when in the intent's team, else the team's next available member;
a task with a due time from the priority is created for them, and a live event tells them. With no
team for the intent and no owner, the least busy manager (else an admin) gets it; only with nobody
at all is the task nobody's, and so open to everyone (activities' visibility rule) until taken.

A task left undone past its due time is re-routed by the `reply.reroute_overdue` beat job: the
next available member (not the one who let it lapse) gets the conversation and the task with a
fresh due time, and the escalation counts it.

An escalation ends when the work is done: a reply of ours reaching the customer resolves the escalations
of the messages it answers, a person closing the conversation resolves them all, and their tasks are
completed with a note saying why (`resolve_answered`, run by `reply.conversation_answered`)."""

import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel import events
from mancrel.activity import service as activity_service
from mancrel.activity.models import Activity, ActivityType
from mancrel.activity.schemas import ActivityCreate, ActivityUpdate
from mancrel.core.db import utcnow
from mancrel.core.errors import NotFound
from mancrel.core.permissions import Role
from mancrel.core.wording import percent
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, ConversationStatus, Direction
from mancrel.reply.models import Escalation, Suggestion
from mancrel.reply.policy import intent_words
from mancrel.reply.repository import REACHED_CUSTOMER, EscalationRepository
from mancrel.team import routing
from mancrel.user import service as user_service

# The reply step acts for the shop: it may hand work to anyone and link any contact.
SYSTEM = SimpleNamespace(id=None, role=Role.admin, email=None)
HOURS = {"urgent": 1, "high": 4}
BUSINESS_DAYS = {"normal": 1, "low": 3}


def due_at(priority: str | None, now: datetime) -> datetime:
    """urgent 1 h, high 4 h, normal 1 business day, low 3 business days (Saturdays and Sundays skipped)."""
    if priority in HOURS:
        return now + timedelta(hours=HOURS[priority])
    days, due = BUSINESS_DAYS.get(priority or "normal", 1), now
    while days:
        due += timedelta(days=1)
        if due.weekday() < 5:
            days -= 1
    return due


def audiences(owner_id: uuid.UUID | None, assignee_id: uuid.UUID | None) -> list[uuid.UUID | None]:
    """Who hears of a routed message: an unowned contact's conversation is everyone's (None);
    otherwise its contact's owner and its assignee."""
    return [None] if owner_id is None else list(dict.fromkeys(a for a in (owner_id, assignee_id) if a))


async def assign(session: AsyncSession, *, suggestion: Suggestion, conversation: Conversation,
                 owner_id: uuid.UUID | None) -> routing.Route:
    """Give the conversation a person when it has none (or its assignee left): its current active
    assignee keeps it, so a customer talks to one person."""
    if conversation.assignee_id is not None:
        current = await user_service.get(session, conversation.assignee_id)
        if current is not None and current.is_active:
            return routing.Route(current.id, None, "the conversation's assignee")
    chosen = await routing.route(session, intent=suggestion.intent, owner_id=owner_id, at=utcnow())
    if chosen.user_id is not None and chosen.user_id != conversation.assignee_id:
        conversation.assignee_id = chosen.user_id
        inbox_service.publish_conversation_event(session, conversation, owner_id)
    return chosen


async def escalate(session: AsyncSession, *, suggestion: Suggestion, conversation: Conversation, contact: Any,
                   priority: str | None, reopen: Escalation | None = None) -> Activity:
    """Route the conversation and give the person a task. `reopen`: the suggestion's earlier escalation,
    resolved since (its reply reached the customer after a failure, then failed again), opened again
    with the new task: an escalation is one row per suggestion."""
    owner_id: uuid.UUID | None = getattr(contact, "owner_id", None)
    chosen = await assign(session, suggestion=suggestion, conversation=conversation, owner_id=owner_id)
    reason = "; ".join(suggestion.reasons) or "needs a person"
    now = utcnow()
    task = await activity_service.create(session, actor=SYSTEM, data=ActivityCreate(
        type=ActivityType.task, subject=f"Answer: {(conversation.subject or 'customer message')[:250]}",
        body=f"Escalated by the AI reply step ({intent_words(suggestion.intent, article=False)}, confidence "
             f"{percent(float(suggestion.confidence))}): {reason}",
        due_at=due_at(priority, now), owner_id=owner_id, assignee_id=chosen.user_id,
        contact_id=getattr(contact, "id", None)))
    if reopen is None:
        session.add(Escalation(suggestion_id=suggestion.id, conversation_id=conversation.id, team_id=chosen.team_id,
                               task_id=task.id, assignee_id=chosen.user_id, priority=priority or "normal",
                               due_at=task.due_at))
    else:
        reopen.team_id, reopen.task_id, reopen.assignee_id = chosen.team_id, task.id, chosen.user_id
        reopen.priority, reopen.due_at, reopen.resolved_at = priority or "normal", task.due_at, None
    payload = {"suggestion_id": str(suggestion.id), "conversation_id": str(conversation.id),
               "message_id": str(suggestion.message_id), "task_id": str(task.id), "due_at": task.due_at.isoformat(),
               "assignee_id": str(chosen.user_id) if chosen.user_id else None, "routing": chosen.reason}
    for audience in audiences(owner_id, chosen.user_id):
        events.publish_after_commit(session, "reply.escalated", payload, audience=audience)
    return task


async def complete_task(session: AsyncSession, task_id: uuid.UUID, note: str) -> bool:
    """Complete the task with the note added to its body, when still open; whether it was. A task a person
    completed or deleted already (answered by other means) stays as they left it."""
    try:
        task = await activity_service.get_visible(session, task_id, SYSTEM, include_deleted=True)
    except NotFound:
        return False
    if task.done_at is not None or task.deleted_at is not None:
        return False
    await activity_service.update(session, activity=task, actor=SYSTEM, data=ActivityUpdate(
        done_at=utcnow(), body=f"{task.body}\n\n{note}"[:100_000]))
    return True


async def resolve(session: AsyncSession, escalation: Escalation, note: str) -> bool:
    """Nothing left to chase: the escalation is resolved and its task completed with the note; whether
    the task was completed here."""
    escalation.resolved_at = escalation.resolved_at or utcnow()
    return escalation.task_id is not None and await complete_task(session, escalation.task_id, note)


async def resolve_answered(session: AsyncSession, conversation_id: uuid.UUID,
                           message_id: uuid.UUID | None = None) -> int:
    """Resolve what the conversation's escalations asked for: with `message_id`, a reply of ours that reached
    the customer (the escalations of messages written before it); without, a person closed the conversation
    (all of them, unless it was reopened meanwhile). Returns how many were resolved; idempotent."""
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None:
        return 0
    if message_id is None:
        if conversation.status != ConversationStatus.closed:
            return 0  # the customer wrote again before this ran: theirs is a live question
        message, note = None, f"Closed: the conversation was closed ({utcnow():%d %b %Y %H:%M} UTC)."
    else:
        message = await inbox_service.get_message(session, message_id)
        if message is None or message.direction != Direction.outbound or message.status not in REACHED_CUSTOMER:
            return 0
        note = await _answered_note(session, message)
    escalations = await EscalationRepository(session).open_of_conversation(conversation_id, answered_by=message)
    for escalation in escalations:
        await resolve(session, escalation, note)
    if escalations:
        contact_owner = await inbox_service.owner_of(session, conversation)
        inbox_service.publish_conversation_event(session, conversation, contact_owner)  # the queue refreshes
    await session.flush()
    return len(escalations)


async def _answered_note(session: AsyncSession, message) -> str:
    by = "the AI reply step"
    if message.author_id is not None:
        author = await user_service.get(session, message.author_id)
        by = getattr(author, "email", None) or str(message.author_id)
    return f"Closed: answered by {by} ({(message.sent_at or utcnow()):%d %b %Y %H:%M} UTC); nothing left to answer."
