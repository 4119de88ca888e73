"""Every team query."""

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.team.models import Team, TeamIntent, TeamMember


class TeamRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, team_id: uuid.UUID) -> Team | None:
        return await self.session.get(Team, team_id)

    async def get_for_update(self, team_id: uuid.UUID) -> Team | None:
        """The team row locked until the transaction ends: round-robin turns are taken one at a time."""
        return await self.session.scalar(select(Team).where(Team.id == team_id).with_for_update()
                                         .execution_options(populate_existing=True))

    async def list_all(self) -> list[Team]:
        return list(await self.session.scalars(select(Team).order_by(Team.name)))

    async def name_taken(self, name: str, *, other_than: uuid.UUID | None = None) -> bool:
        stmt = select(Team.id).where(Team.name == name)
        if other_than is not None:
            stmt = stmt.where(Team.id != other_than)
        return await self.session.scalar(stmt.limit(1)) is not None

    async def members(self, team_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
        rows = await self.session.execute(select(TeamMember.team_id, TeamMember.user_id)
                                          .where(TeamMember.team_id.in_(list(team_ids)))
                                          .order_by(TeamMember.user_id))
        found: dict[uuid.UUID, list[uuid.UUID]] = {t: [] for t in team_ids}
        for team_id, user_id in rows:
            found[team_id].append(user_id)
        return found

    async def intents(self, team_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        rows = await self.session.execute(select(TeamIntent.team_id, TeamIntent.intent)
                                          .where(TeamIntent.team_id.in_(list(team_ids))).order_by(TeamIntent.intent))
        found: dict[uuid.UUID, list[str]] = {t: [] for t in team_ids}
        for team_id, intent in rows:
            found[team_id].append(intent)
        return found

    async def owners_of(self, intents: Sequence[str], *, other_than: uuid.UUID | None = None) -> dict[str, uuid.UUID]:
        stmt = select(TeamIntent.intent, TeamIntent.team_id).where(TeamIntent.intent.in_(list(intents)))
        if other_than is not None:
            stmt = stmt.where(TeamIntent.team_id != other_than)
        return {intent: team_id for intent, team_id in await self.session.execute(stmt)}

    async def team_for_intent(self, intent: str) -> uuid.UUID | None:
        return await self.session.scalar(select(TeamIntent.team_id).where(TeamIntent.intent == intent))

    async def set_members(self, team_id: uuid.UUID, user_ids: Sequence[uuid.UUID]) -> None:
        await self.session.execute(delete(TeamMember).where(TeamMember.team_id == team_id))
        self.session.add_all([TeamMember(team_id=team_id, user_id=u) for u in dict.fromkeys(user_ids)])

    async def set_intents(self, team_id: uuid.UUID, intents: Sequence[str]) -> None:
        await self.session.execute(delete(TeamIntent).where(TeamIntent.team_id == team_id))
        self.session.add_all([TeamIntent(team_id=team_id, intent=i) for i in intents])
