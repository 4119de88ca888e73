"""Every query of lead scores and their models. Visibility is the contact's (core/permissions)."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.contact.models import Contact
from mancrel.core.pagination import after
from mancrel.core.permissions import Actor, visible_filter
from mancrel.insights.lead_score_models import LeadScore, LeadScoreModel


class LeadScoreRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def latest_model(self) -> LeadScoreModel | None:
        return await self.session.scalar(select(LeadScoreModel).order_by(LeadScoreModel.version.desc()).limit(1))

    async def next_version(self) -> int:
        return (await self.session.scalar(select(func.max(LeadScoreModel.version))) or 0) + 1

    async def upsert(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store scores; a changed score keeps the one it replaced as `previous_score` (the trend)."""
        if not rows:
            return
        stmt = insert(LeadScore).values(list(rows))
        moved = LeadScore.score != stmt.excluded.score
        await self.session.execute(stmt.on_conflict_do_update(index_elements=[LeadScore.contact_id], set_={
            "score": stmt.excluded.score, "probability": stmt.excluded.probability,
            "reasons": stmt.excluded.reasons, "features": stmt.excluded.features,
            "model_version": stmt.excluded.model_version, "computed_at": stmt.excluded.computed_at,
            "previous_score": case((moved, LeadScore.score), else_=LeadScore.previous_score),
            "changed_at": case((moved, stmt.excluded.computed_at), else_=LeadScore.changed_at),
        }))

    async def drop_stale(self, computed_before: datetime) -> int:
        """After a full run: remove the scores it did not refresh (contacts no longer worth scoring)."""
        result = await self.session.execute(delete(LeadScore).where(LeadScore.computed_at < computed_before))
        return result.rowcount or 0

    async def drop(self, contact_ids: Sequence[uuid.UUID]) -> None:
        if contact_ids:
            await self.session.execute(delete(LeadScore).where(LeadScore.contact_id.in_(list(contact_ids))))

    async def hottest(self, actor: Actor, *, limit: int, after_key: tuple[int, uuid.UUID] | None = None,
                      min_score: int = 0) -> list[tuple[LeadScore, Contact]]:
        stmt = (select(LeadScore, Contact).join(Contact, Contact.id == LeadScore.contact_id)
                .where(Contact.deleted_at.is_(None), visible_filter(Contact, actor), LeadScore.score >= min_score)
                .order_by(LeadScore.score.desc(), LeadScore.contact_id.desc()).limit(limit))
        if after_key is not None:
            stmt = stmt.where(after((LeadScore.score, LeadScore.contact_id), after_key, descending=True))
        return [(row[0], row[1]) for row in await self.session.execute(stmt)]

    async def get(self, contact_id: uuid.UUID) -> LeadScore | None:
        return await self.session.get(LeadScore, contact_id, populate_existing=True)
