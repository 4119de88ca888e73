"""Reply jobs (on the `ai` queue)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import utcnow

# The module, not its function: importing the worker's task modules can start from decision.py itself.
from mancrel.reply import decision, escalation, overdue, send_failure, send_recovery, superseding
from mancrel.worker.app import BEAT_SCHEDULE
from mancrel.worker.task import job


@job("reply.decide")
async def decide(session: AsyncSession, message_id: uuid.UUID) -> str | None:
    """Draft, check and decide the reply to one classified inbound message; send it when the gate
    allows. Idempotent: a message has at most one suggestion."""
    suggestion = await decision.decide_message(session, message_id)
    return suggestion.decision if suggestion is not None else None


@job("reply.outbound_failed")
async def outbound_failed(session: AsyncSession, message_id: uuid.UUID) -> str:
    """A reply that never reached the customer becomes a person's task (see send_failure.py)."""
    return await send_failure.follow_up(session, message_id)


@job("reply.reroute_overdue", once=False, max_retries=0, dead_letter=False)
async def reroute_overdue(session: AsyncSession) -> int:
    """Escalations whose task is past due and undone go to the next available person."""
    return await overdue.reroute_overdue(session, now=utcnow())


BEAT_SCHEDULE["reply-reroute-overdue"] = {"task": "reply.reroute_overdue", "schedule": 60.0}


@job("reply.outbound_recovered")
async def outbound_recovered(session: AsyncSession, message_id: uuid.UUID) -> str:
    """A failed reply that reached the customer after all closes what its failure opened (send_recovery.py)."""
    return await send_recovery.close_after_resend(session, message_id)


@job("reply.conversation_answered")
async def conversation_answered(session: AsyncSession, conversation_id: uuid.UUID,
                                message_id: uuid.UUID | None = None) -> int:
    """A reply of ours reached the customer (`message_id`) or a person closed the conversation: its
    escalations are resolved and their tasks completed (escalation.resolve_answered); the drafts still
    waiting for approval that the reply answered are retired (superseding.py)."""
    resolved = await escalation.resolve_answered(session, conversation_id, message_id)
    if message_id is not None:
        await superseding.retire_after_delivery(session, message_id)
    return resolved
