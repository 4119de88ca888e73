"""Inbox jobs. `ai.process_message` runs on the `ai` queue (where the classifier is loaded)."""

import uuid

from mancrel.inbox import processing
from mancrel.worker.task import AsyncSession, job


@job("ai.process_message")
async def process_message(session: AsyncSession, message_id: uuid.UUID) -> int:
    """Classify `message_id` together with whatever else waits (see processing.py)."""
    return await processing.process_waiting(session, first=message_id)
