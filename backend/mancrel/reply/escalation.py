"""Escalation: the conversation goes to a person with a deadline. It is assigned to the contact's
owner (when it has no assignee yet), a task with a due time from the priority is created for
them, and a live event tells them. With no owner, the task is nobody's and so open to everyone
(activities' visibility rule) until someone takes it."""

import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel import events
from mancrel.activity import service as activity_service
from mancrel.activity.models import Activity, ActivityType
from mancrel.activity.schemas import ActivityCreate
from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation
from mancrel.reply.models import Suggestion

# The reply step acts for the shop: it may hand work to anyone and link any contact.
_SYSTEM = SimpleNamespace(id=None, role=Role.admin, email=None)
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


async def escalate(session: AsyncSession, *, suggestion: Suggestion, conversation: Conversation, contact: Any,
                   priority: str | None) -> Activity:
    owner_id: uuid.UUID | None = getattr(contact, "owner_id", None)
    if conversation.assignee_id is None and owner_id is not None:
        conversation.assignee_id = owner_id
        inbox_service.publish_conversation_event(session, conversation, owner_id)
    assignee = conversation.assignee_id or owner_id
    reason = "; ".join(suggestion.reasons) or "needs a person"
    task = await activity_service.create(session, actor=_SYSTEM, data=ActivityCreate(
        type=ActivityType.task, subject=f"Answer: {(conversation.subject or 'customer message')[:250]}",
        body=f"Escalated by the AI reply step ({suggestion.intent}, confidence {float(suggestion.confidence):.2f}): "
             f"{reason}", due_at=due_at(priority, utcnow()), owner_id=owner_id, assignee_id=assignee,
        contact_id=getattr(contact, "id", None)))
    events.publish_after_commit(session, "reply.escalated", {
        "suggestion_id": str(suggestion.id), "conversation_id": str(conversation.id),
        "message_id": str(suggestion.message_id), "task_id": str(task.id), "due_at": task.due_at.isoformat()},
        audience=owner_id)
    return task
