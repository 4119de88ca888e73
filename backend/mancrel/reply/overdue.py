"""Overdue escalations: a task past its due time and not done goes to the next available member
of the intent's team (never back to the one who let it lapse while someone else can take it;
the team's manager or an admin when nobody is available), with a fresh due time. Each re-route
is counted on the escalation, in the suggestion's audit and in `mancrel_escalations_rerouted_total`.
An escalation whose customer we answered since, or whose conversation was closed, is resolved instead
(its task completed with a note): `reply.conversation_answered` normally did that already."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel import events
from mancrel.activity import service as activity_service
from mancrel.activity.schemas import ActivityUpdate
from mancrel.contact import service as contact_service
from mancrel.core.db import after_commit
from mancrel.core.errors import NotFound
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, ConversationStatus
from mancrel.reply import audit
from mancrel.reply.escalation import SYSTEM, audiences, due_at, resolve
from mancrel.reply.metrics import ESCALATIONS_OVERDUE
from mancrel.reply.models import Escalation, Suggestion
from mancrel.reply.repository import EscalationRepository
from mancrel.team import routing


async def _open_task(session: AsyncSession, escalation: Escalation):
    if escalation.task_id is None:
        return None
    try:
        task = await activity_service.get_visible(session, escalation.task_id, SYSTEM, include_deleted=True)
    except NotFound:
        return None
    return task if task.done_at is None and task.deleted_at is None else None


async def _answered(session: AsyncSession, escalation: Escalation) -> str | None:
    """Why nobody needs chasing although the task is open (a note for it), or None: we answered the customer
    after they asked, or the conversation was closed. An answered customer is never handed around."""
    conversation = await session.get(Conversation, escalation.conversation_id)
    if conversation is None or conversation.status == ConversationStatus.closed:
        return "Closed: the conversation was closed."
    if await EscalationRepository(session).answered_since(escalation):
        return "Closed: a reply of ours reached the customer after they asked; nothing left to answer."
    return None


async def _reroute(session: AsyncSession, escalation: Escalation, task, now: datetime) -> None:
    suggestion = await session.get(Suggestion, escalation.suggestion_id)
    conversation = await session.get(Conversation, escalation.conversation_id)
    contact = await contact_service.get(session, conversation.contact_id) if conversation.contact_id else None
    owner_id = getattr(contact, "owner_id", None)
    chosen = await routing.route(session, intent=suggestion.intent, owner_id=owner_id, at=now,
                                 exclude=escalation.assignee_id)
    new_due = due_at(escalation.priority, now)
    await activity_service.update(session, activity=task, data=ActivityUpdate(
        assignee_id=chosen.user_id, due_at=new_due), actor=SYSTEM)
    previous = escalation.assignee_id
    escalation.assignee_id, escalation.due_at = chosen.user_id, new_due
    escalation.team_id = chosen.team_id or escalation.team_id
    escalation.reroutes += 1
    if chosen.user_id is not None and conversation.assignee_id != chosen.user_id:
        conversation.assignee_id = chosen.user_id
        inbox_service.publish_conversation_event(session, conversation, owner_id)
    audit.append(session, suggestion, "rerouted", previous_assignee_id=str(previous) if previous else None,
                 assignee_id=str(chosen.user_id) if chosen.user_id else None, routing=chosen.reason,
                 task_id=str(task.id), due_at=new_due.isoformat(), reroutes=escalation.reroutes)
    payload = {"suggestion_id": str(suggestion.id), "conversation_id": str(conversation.id),
               "task_id": str(task.id), "due_at": new_due.isoformat(), "reroutes": escalation.reroutes,
               "assignee_id": str(chosen.user_id) if chosen.user_id else None}
    for audience in audiences(owner_id, chosen.user_id):
        events.publish_after_commit(session, "reply.escalation_overdue", payload, audience=audience)


async def reroute_overdue(session: AsyncSession, *, now: datetime, limit: int = 200) -> int:
    """Re-route up to `limit` overdue escalations; returns how many were re-routed."""
    rerouted = 0
    for escalation in await EscalationRepository(session).overdue(now, limit=limit):
        task = await _open_task(session, escalation)
        if task is None:  # done, deleted or gone: nobody needs chasing
            escalation.resolved_at = now
            continue
        if answered := await _answered(session, escalation):  # the work was done; its resolution ran late
            await resolve(session, escalation, answered)
            continue
        await _reroute(session, escalation, task, now)
        rerouted += 1
    await session.flush()
    if rerouted:
        async def count() -> None:  # counted once the re-routes are committed, not if they roll back
            ESCALATIONS_OVERDUE.inc(rerouted)

        after_commit(session, count)
    return rerouted
