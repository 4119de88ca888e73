"""Who gets a message: the contact's owner when they are in the team that answers its intent,
otherwise the next team member available now (active, inside the team's working hours), in
turn. The turn is kept on the team row and moved under its lock, so any number of workers
hand out work as one round-robin. With no team for the intent the contact's owner keeps it, as
before teams existed; with nobody available the team's manager (or an admin) takes it.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.permissions import Role
from mancrel.team.models import Team
from mancrel.team.repository import TeamRepository
from mancrel.team.schemas import WorkingHours
from mancrel.user import service as user_service


@dataclass(frozen=True)
class Route:
    user_id: uuid.UUID | None
    team_id: uuid.UUID | None
    reason: str


def _working(team: Team, at: datetime) -> bool:
    return team.working_hours is None or WorkingHours.model_validate(team.working_hours).contains(at)


def next_in_turn(members: list[uuid.UUID], available: set[uuid.UUID], last: uuid.UUID | None) -> uuid.UUID | None:
    """The first available member after `last` in the team's fixed order (by id), wrapping round."""
    ordered = sorted(members, key=str)
    start = next((i + 1 for i, m in enumerate(ordered) if m == last), 0)
    for member in ordered[start:] + ordered[:start]:
        if member in available:
            return member
    return None


async def _fallback(session: AsyncSession, team: Team, active: dict[uuid.UUID, object]) -> Route:
    if team.manager_id in active:
        return Route(team.manager_id, team.id, f"no member of {team.name} is available; the team's manager")
    admins = sorted((u for u in active.values() if u.role == Role.admin), key=lambda u: (u.created_at, str(u.id)))
    if admins:
        return Route(admins[0].id, team.id, f"no member of {team.name} is available; an admin")
    return Route(None, team.id, f"no member of {team.name} is available and there is no admin")


async def route(session: AsyncSession, *, intent: str, owner_id: uuid.UUID | None, at: datetime,
                exclude: uuid.UUID | None = None) -> Route:
    """`exclude`: a member who let the work go overdue; they are skipped when anyone else is available."""
    repo = TeamRepository(session)
    team_id = await repo.team_for_intent(intent)
    if team_id is None:
        return Route(owner_id, None, f"no team answers '{intent}'; the contact's owner")
    team = await repo.get_for_update(team_id)
    members = (await repo.members([team_id]))[team_id]
    active = {u.id: u for u in await user_service.list_active(session)}
    if owner_id is not None and owner_id != exclude and owner_id in members and owner_id in active:
        return Route(owner_id, team_id, f"the contact's owner is in {team.name}")
    available = {m for m in members if m in active} if _working(team, at) else set()
    if exclude is not None and available - {exclude}:
        available.discard(exclude)
    chosen = next_in_turn(members, available, team.last_assigned_id)
    if chosen is None:
        return await _fallback(session, team, active)
    team.last_assigned_id = chosen
    await session.flush()
    return Route(chosen, team_id, f"{team.name}'s next available member")
