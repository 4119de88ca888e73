"""Who gets a message: the contact's owner when they are in the team that answers its intent,
otherwise the next team member available now (active, inside the team's working hours), in
turn. The turn is kept on the team row and moved under its lock, so any number of workers
hand out work as one round-robin. With no team for the intent the contact's owner keeps it, as
before teams existed, and an unowned contact's message (every new lead's) goes to the least busy
manager (else admin): a task that is nobody's waits on everybody and is answered by nobody. With
nobody in the team available the team's manager (or an admin) takes it.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity.models import Activity, ActivityType
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


async def _least_busy(session: AsyncSession, users: list) -> object:
    """The one with the fewest open tasks; ties go to the oldest account (a stable choice)."""
    counts = dict((await session.execute(
        select(Activity.assignee_id, func.count()).where(
            Activity.assignee_id.in_([u.id for u in users]), Activity.type == ActivityType.task,
            Activity.done_at.is_(None), Activity.deleted_at.is_(None)).group_by(Activity.assignee_id))).all())
    return min(users, key=lambda u: (counts.get(u.id, 0), u.created_at, str(u.id)))


async def _without_team(session: AsyncSession, intent: str, owner_id: uuid.UUID | None,
                        exclude: uuid.UUID | None) -> Route:
    active = {u.id: u for u in await user_service.list_active(session)}
    if owner_id is not None and owner_id in active and owner_id != exclude:
        return Route(owner_id, None, f"no team answers '{intent}'; the contact's owner")
    for role, who in ((Role.manager, "the least busy manager"), (Role.admin, "an admin")):
        candidates = [u for u in active.values() if u.role == role and u.id != exclude]
        if candidates:
            chosen = await _least_busy(session, candidates)
            return Route(chosen.id, None, f"no team answers '{intent}' and the contact has no active owner; {who}")
    return Route(None, None, f"no team answers '{intent}' and nobody else can take it")


async def route(session: AsyncSession, *, intent: str, owner_id: uuid.UUID | None, at: datetime,
                exclude: uuid.UUID | None = None) -> Route:
    """`exclude`: a member who let the work go overdue; they are skipped when anyone else is available."""
    repo = TeamRepository(session)
    team_id = await repo.team_for_intent(intent)
    if team_id is None:
        return await _without_team(session, intent, owner_id, exclude)
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
