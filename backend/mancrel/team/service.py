"""Team use cases: admins create, change and delete teams; managers read them. Flushes, never commits."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.core.db import utcnow
from mancrel.team.exceptions import IntentOwned, TeamNameTaken, TeamNotFound, UnknownMember
from mancrel.team.models import Team
from mancrel.team.repository import TeamRepository
from mancrel.team.schemas import TeamCreate, TeamRead, TeamUpdate, WorkingHours
from mancrel.user import service as user_service


async def _read(session: AsyncSession, teams: list[Team]) -> list[TeamRead]:
    repo = TeamRepository(session)
    ids = [t.id for t in teams]
    members, intents = await repo.members(ids), await repo.intents(ids)
    return [TeamRead(id=t.id, name=t.name, member_ids=members[t.id], intents=intents[t.id],
                     working_hours=WorkingHours.model_validate(t.working_hours) if t.working_hours else None,
                     manager_id=t.manager_id, created_at=t.created_at, updated_at=t.updated_at) for t in teams]


async def list_teams(session: AsyncSession) -> list[TeamRead]:
    return await _read(session, await TeamRepository(session).list_all())


async def get(session: AsyncSession, team_id: uuid.UUID) -> TeamRead:
    team = await TeamRepository(session).get(team_id)
    if team is None:
        raise TeamNotFound(f"No team with id {team_id}.")
    (read,) = await _read(session, [team])
    return read


async def _check(session: AsyncSession, *, team_id: uuid.UUID | None, name: str | None,
                 member_ids: list[uuid.UUID] | None, intents: list[str] | None, manager_id: uuid.UUID | None) -> None:
    repo = TeamRepository(session)
    if name is not None and await repo.name_taken(name, other_than=team_id):
        raise TeamNameTaken(f"A team named '{name}' exists.")
    if intents:
        owned = await repo.owners_of(intents, other_than=team_id)
        if owned:
            raise IntentOwned(f"Another team answers {', '.join(sorted(owned))}; take it from that team first.",
                              errors=[{"field": "intents", "message": f"owned by team {t}: {i}"}
                                      for i, t in sorted(owned.items())])
    active = {u.id for u in await user_service.list_active(session)}
    unknown = [u for u in [*(member_ids or []), *([manager_id] if manager_id else [])] if u not in active]
    if unknown:
        raise UnknownMember("Members and the manager must be active users.",
                            errors=[{"field": "member_ids", "message": f"no active user {u}"} for u in unknown])


async def create(session: AsyncSession, *, data: TeamCreate, actor: Any) -> TeamRead:
    await _check(session, team_id=None, name=data.name, member_ids=data.member_ids, intents=data.intents,
                 manager_id=data.manager_id)
    team = Team(id=uuid.uuid4(), name=data.name, manager_id=data.manager_id,
                working_hours=data.working_hours.model_dump(mode="json") if data.working_hours else None)
    session.add(team)
    await session.flush()
    repo = TeamRepository(session)
    await repo.set_members(team.id, data.member_ids)
    await repo.set_intents(team.id, data.intents)
    await session.flush()
    read = await get(session, team.id)
    await audit_service.record(session, actor=actor, action="team.created", entity_type="team", entity_id=team.id,
                               after=read.model_dump(mode="json"))
    return read


async def update(session: AsyncSession, *, team_id: uuid.UUID, data: TeamUpdate, actor: Any) -> TeamRead:
    before = await get(session, team_id)
    team = await TeamRepository(session).get_for_update(team_id)
    changes = data.model_dump(exclude_unset=True)
    await _check(session, team_id=team_id, name=changes.get("name"), member_ids=changes.get("member_ids"),
                 intents=changes.get("intents"), manager_id=changes.get("manager_id"))
    if "name" in changes and changes["name"] is not None:
        team.name = changes["name"]
    if "working_hours" in changes:  # null: always working
        team.working_hours = data.working_hours.model_dump(mode="json") if data.working_hours else None
    if "manager_id" in changes:
        team.manager_id = changes["manager_id"]
    repo = TeamRepository(session)
    if changes.get("member_ids") is not None:
        await repo.set_members(team_id, changes["member_ids"])
    if changes.get("intents") is not None:
        await repo.set_intents(team_id, changes["intents"])
    team.updated_at = utcnow()  # members and intents live in other rows; the team changed all the same
    await session.flush()
    after = await get(session, team_id)
    old, new = audit_service.changed(before.model_dump(mode="json"), after.model_dump(mode="json"))
    await audit_service.record(session, actor=actor, action="team.updated", entity_type="team", entity_id=team_id,
                               before=old, after=new)
    return after


async def delete(session: AsyncSession, *, team_id: uuid.UUID, actor: Any) -> None:
    before = await get(session, team_id)
    team = await TeamRepository(session).get(team_id)
    await session.delete(team)
    await session.flush()
    await audit_service.record(session, actor=actor, action="team.deleted", entity_type="team", entity_id=team_id,
                               before=before.model_dump(mode="json"))
