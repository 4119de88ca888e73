"""The profile job, on the `ai` queue (where the embedding model is loaded)."""

import uuid

from mancrel.insights import profile_service
from mancrel.insights.profile_signal import MANY_TASK, TASK
from mancrel.worker.task import AsyncSession, job


@job(TASK)
async def refresh_contact_profile(session: AsyncSession, contact_id: uuid.UUID) -> bool:
    return await profile_service.refresh(session, contact_id=contact_id)


@job(MANY_TASK)
async def refresh_contact_profiles(session: AsyncSession, contact_ids: list[str]) -> int:
    """An intake batch's contacts (profile_signal.refreshes_batched), in id order: two such jobs
    take the contacts' locks in the same order. The number recomputed."""
    refreshed = 0
    for contact_id in sorted({uuid.UUID(str(c)) for c in contact_ids}):
        refreshed += await profile_service.refresh(session, contact_id=contact_id)
    return refreshed
