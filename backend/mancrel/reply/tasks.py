"""Reply jobs (on the `ai` queue)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.reply.decision import decide_message
from mancrel.worker.task import job


@job("reply.decide")
async def decide(session: AsyncSession, message_id: uuid.UUID) -> str | None:
    """Draft, check and decide the reply to one classified inbound message; send it when the gate
    allows. Idempotent: a message has at most one suggestion."""
    suggestion = await decide_message(session, message_id)
    return suggestion.decision if suggestion is not None else None
