"""`reply.outbound_recovered`: a reply of ours that failed reached the customer after all (a person's
"Send again", a replay of its send job from the dead letters, or an uncertain attempt that did get
through), so what its failure opened (send_failure.py) is closed and nobody chases an answered customer:

- the reply step's reply: the suggestion reads again what it read before it failed (`sent`, or `approved`
  / `edited` for a person's approval: still their verdict for calibration), with a "sent_after_failure"
  step in its audit naming who or what sent it again; its escalation is resolved and the escalation's task
  completed with a note;
- a person's reply: the task its failure gave someone is completed with a note.

Only what is still open is closed: a task a person already completed or deleted (they answered by other
means) stays as they left it, and nothing is reopened. Browsers hear through `conversation.updated`, which
the inbox, the escalation queue and Today refresh on. Idempotent: a second run finds nothing open.
"""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.contact import service as contact_service
from mancrel.core.db import utcnow
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, DeliveryStatus, Message
from mancrel.reply import audit
from mancrel.reply.escalation import complete_task, resolve
from mancrel.reply.models import Suggestion, SuggestionStatus
from mancrel.reply.repository import EscalationRepository, SuggestionRepository
from mancrel.user import service as user_service

REACHED = (DeliveryStatus.sent, DeliveryStatus.delivered, DeliveryStatus.read)
DEAD_LETTER_REPLAY = "a replay of its send job from the dead letters"
UNCERTAIN_GOT_THROUGH = "the attempt reported uncertain did get through"


async def close_after_resend(session: AsyncSession, message_id: uuid.UUID) -> str:
    """Close what the reply's failure opened; what was done."""
    message = await inbox_service.lock_message(session, message_id)
    if message is None or message.status not in REACHED:
        return "skipped"  # gone, or failed again meanwhile: what is open stays open
    resender, by = await _resent_by(session, message)
    how = f"sent again by {by}" if by else UNCERTAIN_GOT_THROUGH
    note = f"Closed: the reply reached the customer after all ({_when(message)}, {how}); nothing left to answer."
    done: list[str] = []
    suggestion = await SuggestionRepository(session).for_sent_message(message.id)
    if suggestion is not None and suggestion.status == SuggestionStatus.send_failed:
        await _restore(session, suggestion, message, resender, by, note)
        done.append("suggestion restored")
    if message.follow_up_task_id is not None and await _complete(session, message, message.follow_up_task_id, note):
        done.append("task completed")
    if done:
        conversation = await session.get(Conversation, message.conversation_id)
        if conversation is not None:
            contact = await contact_service.get(session, conversation.contact_id) if conversation.contact_id else None
            inbox_service.publish_conversation_event(session, conversation, getattr(contact, "owner_id", None))
    await session.flush()
    return ", ".join(done) or "nothing open"


async def _resent_by(session: AsyncSession, message: Message) -> tuple[Any, str | None]:
    """The person who sent it again (None: the system), and who or what did as the audit and the task's note
    name it (None: nobody; an attempt reported uncertain did reach the provider after all)."""
    if message.resent_by_id is not None:
        user = await user_service.get(session, message.resent_by_id)
        return user, (getattr(user, "email", None) or str(message.resent_by_id))
    return None, DEAD_LETTER_REPLAY if message.resent_at is not None else None


def _when(message: Message) -> str:
    return f"{(message.sent_at or utcnow()):%d %b %Y %H:%M} UTC"


async def _restore(session: AsyncSession, suggestion: Suggestion, message: Message, resender: Any,
                   by: str | None, note: str) -> None:
    trail = await SuggestionRepository(session).audit_of(suggestion.id)
    failed = next((row for row in reversed(trail) if row.action == "send_failed"), None)
    previous = (failed.data or {}).get("previous_status") if failed is not None else None
    suggestion.status = previous if previous in (SuggestionStatus.sent, SuggestionStatus.approved,
                                                 SuggestionStatus.edited) else SuggestionStatus.sent
    escalation = await EscalationRepository(session).for_suggestion(suggestion.id)
    closed_task = None
    if escalation is not None and escalation.resolved_at is None:
        if escalation.task_id is not None and await EscalationRepository(session).task_still_needed(
                escalation.task_id, other_than=message.id):
            escalation.resolved_at = utcnow()  # another failed reply still holds the task open
        elif await resolve(session, escalation, note):
            closed_task = str(escalation.task_id)
    audit.append(session, suggestion, "sent_after_failure", actor=resender,
                 message_id=str(message.id), status=suggestion.status, resent_by=by,
                 resent_by_id=str(message.resent_by_id) if message.resent_by_id else None,
                 escalation_resolved=escalation is not None and escalation.resolved_at is not None,
                 task_completed=closed_task)


async def _complete(session: AsyncSession, message: Message, task_id: uuid.UUID, note: str) -> bool:
    """Complete the task with the note, when it is still open and no other failed reply waits on it; whether
    it was completed."""
    if await EscalationRepository(session).task_still_needed(task_id, other_than=message.id):
        return False  # another reply of the conversation has still not reached the customer
    return await complete_task(session, task_id, note)
