import uuid

from fastapi import APIRouter, Response

from mancrel.auth.dependencies import CurrentUser, ManagerUser
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam
from mancrel.deal import board as board_service
from mancrel.deal.schemas import BoardRead, BoardStageRead
from mancrel.pipeline import service as pipeline_service
from mancrel.pipeline.models import Pipeline
from mancrel.pipeline.schemas import PipelineCreate, PipelineRead, PipelineUpdate, StageCreate, StageUpdate

router = APIRouter(prefix="/pipelines", tags=["pipelines"])


@router.get("", response_model=list[PipelineRead])
async def list_pipelines(_: CurrentUser, session: SessionDep) -> list[Pipeline]:
    """Every pipeline with its ordered stages (a handful: not paginated)."""
    return await pipeline_service.list_pipelines(session)


@router.post("", response_model=PipelineRead, status_code=201)
async def create_pipeline(data: PipelineCreate, user: ManagerUser, session: SessionDep) -> Pipeline:
    return await pipeline_service.create(session, data=data, actor=user)


@router.get("/{pipeline_id}", response_model=PipelineRead)
async def get_pipeline(pipeline_id: uuid.UUID, _: CurrentUser, session: SessionDep) -> Pipeline:
    return await pipeline_service.get_or_404(session, pipeline_id)


@router.patch("/{pipeline_id}", response_model=PipelineRead)
async def update_pipeline(pipeline_id: uuid.UUID, data: PipelineUpdate, user: ManagerUser,
                          session: SessionDep) -> Pipeline:
    pipeline = await pipeline_service.get_or_404(session, pipeline_id)
    return await pipeline_service.update(session, pipeline=pipeline, data=data, actor=user)


@router.post("/{pipeline_id}/stages", response_model=PipelineRead, status_code=201)
async def add_stage(pipeline_id: uuid.UUID, data: StageCreate, user: ManagerUser, session: SessionDep) -> Pipeline:
    pipeline = await pipeline_service.get_or_404(session, pipeline_id)
    return await pipeline_service.add_stage(session, pipeline=pipeline, data=data, actor=user)


@router.patch("/{pipeline_id}/stages/{stage_id}", response_model=PipelineRead)
async def update_stage(pipeline_id: uuid.UUID, stage_id: uuid.UUID, data: StageUpdate, user: ManagerUser,
                       session: SessionDep) -> Pipeline:
    pipeline = await pipeline_service.get_or_404(session, pipeline_id)
    return await pipeline_service.update_stage(session, pipeline=pipeline, stage_id=stage_id, data=data, actor=user)


@router.delete("/{pipeline_id}/stages/{stage_id}", status_code=204)
async def delete_stage(pipeline_id: uuid.UUID, stage_id: uuid.UUID, user: ManagerUser,
                       session: SessionDep) -> Response:
    pipeline = await pipeline_service.get_or_404(session, pipeline_id)
    await pipeline_service.delete_stage(session, pipeline=pipeline, stage_id=stage_id, actor=user)
    return Response(status_code=204)


@router.get("/{pipeline_id}/board", response_model=BoardRead)
async def get_board(pipeline_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                    limit: LimitParam = 25) -> BoardRead:
    """Each stage with its first `limit` cards in board order, and the stage's count and totals
    over every open deal the caller may see (not only the cards on this page)."""
    pipeline = await pipeline_service.get_or_404(session, pipeline_id)
    return await board_service.board(session, pipeline=pipeline, actor=user, limit=limit)


@router.get("/{pipeline_id}/board/stages/{stage_id}", response_model=BoardStageRead)
async def get_board_stage(pipeline_id: uuid.UUID, stage_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                          limit: LimitParam = 25, cursor: CursorParam = None) -> BoardStageRead:
    """More cards of one stage: pass the stage's `next_cursor`."""
    pipeline = await pipeline_service.get_or_404(session, pipeline_id)
    return await board_service.board_stage(session, pipeline=pipeline, stage_id=stage_id, actor=user,
                                           limit=limit, cursor=cursor)
