"""`reply.outbound_failed`: a reply of ours that never reached the customer (inbox/delivery_failure.py
marked it failed and reopened the conversation) becomes a person's task, so nobody is left without
an answer because a mail bounced or Meta refused a message.

- Sent by the reply step on its own, or approved from a suggestion: the suggestion reads `send_failed`
  and is escalated through the reply step's own path (escalation.py: the conversation's assignee, else
  routing; a due time from the priority; the escalation queue and the overdue re-routing), with
  "reply failed: <reason>" in its audit trail and reasons.
- Written by a person: the conversation's assignee (else the contact's owner, else the author) gets a
  task, unless a task for this conversation is open already (an escalation's, or an earlier failure's).

Either way the task's id is kept on the message (`follow_up_task_id`): when the reply reaches the
customer after all, send_recovery.py closes it.

Idempotent: a suggestion is escalated once per failure (reply_escalations is unique per suggestion; one
resolved because the reply went out after all is opened again when it fails anew), and a person's
failure finds the task an earlier one left open. The message is read locked: a reply sent again and
delivered meanwhile is found sent (or queued again), and nothing is opened.
"""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel import events
from mancrel.activity import service as activity_service
from mancrel.activity.models import ActivityType
from mancrel.activity.schemas import ActivityCreate
from mancrel.ai.models import Classification
from mancrel.contact import service as contact_service
from mancrel.core.db import utcnow
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, DeliveryStatus, Message
from mancrel.reply import audit, escalation
from mancrel.reply.models import Suggestion, SuggestionStatus
from mancrel.reply.repository import EscalationRepository, SuggestionRepository
from mancrel.user import service as user_service


def failure_line(message: Message) -> str:
    return f"reply failed: {message.failure_reason or 'no reason given'}"[:1000]


async def follow_up(session: AsyncSession, message_id: uuid.UUID) -> str:
    """Give the failed reply's conversation to a person; what was done."""
    message = await inbox_service.lock_message(session, message_id)
    if message is None or message.status != DeliveryStatus.failed:
        return "skipped"  # gone, or sent again (by a person, or replayed from the dead letters)
    conversation = await session.get(Conversation, message.conversation_id)
    if conversation is None:
        return "skipped"
    contact = await contact_service.get(session, conversation.contact_id) if conversation.contact_id else None
    suggestion = await SuggestionRepository(session).for_sent_message(message.id)
    if suggestion is not None:
        return await _suggestion_failed(session, suggestion, message, conversation, contact)
    return await _person_failed(session, message, conversation, contact)


async def _suggestion_failed(session: AsyncSession, suggestion: Suggestion, message: Message,
                             conversation: Conversation, contact: Any) -> str:
    earlier = await EscalationRepository(session).for_suggestion(suggestion.id)
    if earlier is not None and (earlier.resolved_at is None or suggestion.status == SuggestionStatus.send_failed):
        return "already escalated"  # open, or done by a person while the reply still has not gone out
    previous, line = suggestion.status, failure_line(message)
    suggestion.status = SuggestionStatus.send_failed
    suggestion.reasons = [*suggestion.reasons, line]  # the escalation task and queue say why
    task = await escalation.escalate(session, suggestion=suggestion, conversation=conversation, contact=contact,
                                     priority=await _priority(session, suggestion) or conversation.priority,
                                     reopen=earlier)
    message.follow_up_task_id = task.id
    audit.append(session, suggestion, "send_failed", reason=line, previous_status=previous,
                 message_id=str(message.id), assignee_id=str(task.assignee_id) if task.assignee_id else None,
                 task_id=str(task.id), due_at=task.due_at.isoformat())
    await session.flush()
    return "escalated"


async def _priority(session: AsyncSession, suggestion: Suggestion) -> str | None:
    """The answered message's priority, as the reply step's own escalation takes it."""
    message = await session.get(Message, suggestion.message_id)
    classification = await session.get(Classification, message.classification_id) if (
        message is not None and message.classification_id) else None
    return classification.priority if classification is not None else None


async def _responsible(session: AsyncSession, conversation: Conversation, owner_id: uuid.UUID | None,
                       author_id: uuid.UUID | None) -> uuid.UUID | None:
    """Who answers again: the conversation's assignee, else the contact's owner, else the reply's author
    (the first of them still active); None leaves the task open to everyone."""
    for user_id in (conversation.assignee_id, owner_id, author_id):
        if user_id is not None:
            user = await user_service.get(session, user_id)
            if user is not None and user.is_active:
                return user.id
    return None


async def _person_failed(session: AsyncSession, message: Message, conversation: Conversation, contact: Any) -> str:
    repo = EscalationRepository(session)
    shared = await repo.open_follow_up_task(conversation.id)
    if shared is not None:  # an earlier failed reply's: one task for both, done when the last one goes out
        message.follow_up_task_id = shared
        await session.flush()
        return "a task is open already"
    if await repo.has_open_task(conversation.id):  # an escalation's: the person answering it sees this too
        return "a task is open already"
    owner_id = getattr(contact, "owner_id", None)
    assignee_id = await _responsible(session, conversation, owner_id, message.author_id)
    line = failure_line(message)
    task = await activity_service.create(session, actor=escalation.SYSTEM, data=ActivityCreate(
        type=ActivityType.task, subject=f"Reply not delivered: {(conversation.subject or 'customer message')[:250]}",
        body=f"The reply sent {message.occurred_at:%d %b %Y %H:%M} UTC did not reach the customer ({line}). "
             "Answer them again, on this channel or another.",
        due_at=escalation.due_at(conversation.priority, utcnow()), owner_id=owner_id, assignee_id=assignee_id,
        contact_id=getattr(contact, "id", None)))
    message.follow_up_task_id = task.id
    payload = {"conversation_id": str(conversation.id), "message_id": str(message.id), "task_id": str(task.id),
               "due_at": task.due_at.isoformat(), "assignee_id": str(assignee_id) if assignee_id else None,
               "reason": line}
    for audience in escalation.audiences(owner_id, assignee_id):
        events.publish_after_commit(session, "reply.send_failed", payload, audience=audience)
    await session.flush()
    return "task created"
