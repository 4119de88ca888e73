"""`/api/v1/teams`: admins change teams; managers may read them (they hand out the work)."""

import uuid

from fastapi import APIRouter, Response

from mancrel.auth.dependencies import AdminUser, ManagerUser
from mancrel.core.db import SessionDep
from mancrel.team import service as team_service
from mancrel.team.schemas import TeamCreate, TeamRead, TeamUpdate

router = APIRouter(prefix="/teams", tags=["teams"])


@router.get("", response_model=list[TeamRead])
async def list_teams(_: ManagerUser, session: SessionDep) -> list[TeamRead]:
    return await team_service.list_teams(session)


@router.post("", response_model=TeamRead, status_code=201)
async def create_team(data: TeamCreate, user: AdminUser, session: SessionDep) -> TeamRead:
    return await team_service.create(session, data=data, actor=user)


@router.get("/{team_id}", response_model=TeamRead)
async def get_team(team_id: uuid.UUID, _: ManagerUser, session: SessionDep) -> TeamRead:
    return await team_service.get(session, team_id)


@router.patch("/{team_id}", response_model=TeamRead)
async def update_team(team_id: uuid.UUID, data: TeamUpdate, user: AdminUser, session: SessionDep) -> TeamRead:
    """Lists given replace the team's members or intents; `working_hours: null` means always working."""
    return await team_service.update(session, team_id=team_id, data=data, actor=user)


@router.delete("/{team_id}", status_code=204)
async def delete_team(team_id: uuid.UUID, user: AdminUser, session: SessionDep) -> Response:
    await team_service.delete(session, team_id=team_id, actor=user)
    return Response(status_code=204)
