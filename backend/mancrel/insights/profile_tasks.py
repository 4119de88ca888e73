"""The profile job, on the `ai` queue (where the embedding model is loaded)."""

import uuid

from mancrel.insights import profile_service
from mancrel.insights.profile_signal import TASK
from mancrel.worker.task import AsyncSession, job


@job(TASK)
async def refresh_contact_profile(session: AsyncSession, contact_id: uuid.UUID) -> bool:
    return await profile_service.refresh(session, contact_id=contact_id)
