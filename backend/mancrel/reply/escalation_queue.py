"""The escalation queue: one row per conversation waiting for a person (its newest open escalation, with how
many are open), only what the viewer may read, with everything a row shows in one request."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.reply.repository import EscalationRepository
from mancrel.reply.schemas import EscalationQueue, EscalationQueueRow


async def read(session: AsyncSession, *, actor: Any, limit: int) -> EscalationQueue:
    rows = await EscalationRepository(session).queue(actor, limit=limit + 1)
    return EscalationQueue(items=[_row(*row) for row in rows[:limit]], truncated=len(rows) > limit)


def _row(escalation, suggestion, conversation, contact, task, open_count: int) -> EscalationQueueRow:
    name = " ".join(p for p in (getattr(contact, "first_name", ""), getattr(contact, "last_name", "")) if p)
    return EscalationQueueRow(
        conversation_id=conversation.id, subject=conversation.subject, customer=name or conversation.counterpart,
        assignee_id=conversation.assignee_id, escalation_id=escalation.id, suggestion_id=suggestion.id,
        status=suggestion.status, intent=suggestion.intent, confidence=float(suggestion.confidence),
        near_limit=(suggestion.confidence_parts or {}).get("near_limit"), reasons=list(suggestion.reasons or []),
        asked_at=suggestion.created_at, priority=escalation.priority, due_at=escalation.due_at,
        reroutes=escalation.reroutes, task_id=task.id if task is not None else None,
        task_version=task.version if task is not None else None, open_escalations=open_count)
