"""Reply jobs (on the `ai` queue)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

# The module, not its function: importing the worker's task modules can start from decision.py itself.
from mancrel.reply import decision
from mancrel.worker.task import job


@job("reply.decide")
async def decide(session: AsyncSession, message_id: uuid.UUID) -> str | None:
    """Draft, check and decide the reply to one classified inbound message; send it when the gate
    allows. Idempotent: a message has at most one suggestion."""
    suggestion = await decision.decide_message(session, message_id)
    return suggestion.decision if suggestion is not None else None
