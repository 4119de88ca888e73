from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.worker.models import OutboxMessage


async def count_unpublished(session: AsyncSession) -> int:
    stmt = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.published_at.is_(None))
    return await session.scalar(stmt) or 0
