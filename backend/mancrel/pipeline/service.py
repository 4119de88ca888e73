"""Pipelines and their ordered stages. Flushes, never commits."""

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.pipeline.exceptions import NameTaken, PipelineNotFound, StageInUse, StageNotFound
from mancrel.pipeline.models import Pipeline, PipelineStage, StageKind
from mancrel.pipeline.repository import PipelineRepository
from mancrel.pipeline.schemas import PipelineCreate, PipelineUpdate, StageCreate, StageUpdate

# deals.stage_id, ON DELETE RESTRICT (migration 0004): a stage holding deals cannot go.
DEALS_STAGE_FK = "fk_deals_stage_id_pipeline_stages"

# Also created by the migration, so every installation has it (not only demo data).
DEFAULT_STAGES = [
    ("New", 10, StageKind.open), ("Qualified", 25, StageKind.open), ("Proposal", 50, StageKind.open),
    ("Negotiation", 75, StageKind.open), ("Won", 100, StageKind.won), ("Lost", 0, StageKind.lost),
]


def _pipeline_snapshot(pipeline: Pipeline) -> dict[str, Any]:
    return {**audit_service.snapshot(pipeline),
            "stages": [audit_service.snapshot(s) for s in pipeline.stages]}


async def list_pipelines(session: AsyncSession) -> list[Pipeline]:
    return await PipelineRepository(session).list_all()


async def get(session: AsyncSession, pipeline_id: uuid.UUID) -> Pipeline | None:
    return await PipelineRepository(session).get(pipeline_id)


async def get_or_404(session: AsyncSession, pipeline_id: uuid.UUID) -> Pipeline:
    pipeline = await get(session, pipeline_id)
    if pipeline is None:
        raise PipelineNotFound(f"No pipeline with id {pipeline_id}.")
    return pipeline


async def get_default(session: AsyncSession) -> Pipeline | None:
    return await PipelineRepository(session).get_default()


async def get_stage(session: AsyncSession, stage_id: uuid.UUID) -> PipelineStage | None:
    return await PipelineRepository(session).get_stage(stage_id)


async def create(session: AsyncSession, *, data: PipelineCreate, actor: Any) -> Pipeline:
    repo = PipelineRepository(session)
    if await repo.get_by_name(data.name):
        raise NameTaken(f"A pipeline named {data.name!r} already exists.")
    _check_unique_stage_names([s.name for s in data.stages])
    pipeline = Pipeline(id=uuid.uuid4(), name=data.name, position=len(await repo.list_all()), stages=[
        PipelineStage(name=s.name, probability=s.probability, kind=s.kind, position=i)
        for i, s in enumerate(data.stages)])
    session.add(pipeline)
    await session.flush()
    await audit_service.record(session, actor=actor, action="pipeline.created", entity_type="pipeline",
                               entity_id=pipeline.id, after=_pipeline_snapshot(pipeline))
    return pipeline


async def update(session: AsyncSession, *, pipeline: Pipeline, data: PipelineUpdate, actor: Any) -> Pipeline:
    before = audit_service.snapshot(pipeline)
    if data.name is not None and data.name != pipeline.name:
        if await PipelineRepository(session).get_by_name(data.name):
            raise NameTaken(f"A pipeline named {data.name!r} already exists.")
        pipeline.name = data.name
    if data.is_default:
        await PipelineRepository(session).clear_default()
        pipeline.is_default = True
    await session.flush()
    await _record_change(session, actor, "pipeline.updated", pipeline.id, before, audit_service.snapshot(pipeline))
    return pipeline


async def add_stage(session: AsyncSession, *, pipeline: Pipeline, data: StageCreate, actor: Any) -> Pipeline:
    _check_unique_stage_names([s.name for s in pipeline.stages] + [data.name])
    stages = list(pipeline.stages)
    stage = PipelineStage(pipeline_id=pipeline.id, name=data.name, probability=data.probability, kind=data.kind)
    index = len(stages) if data.position is None else min(data.position, len(stages))
    stages.insert(index, stage)
    session.add(stage)
    _renumber(stages)
    pipeline.stages = stages
    await session.flush()
    await audit_service.record(session, actor=actor, action="pipeline.stage_added", entity_type="pipeline",
                               entity_id=pipeline.id, after=audit_service.snapshot(stage))
    return pipeline


async def update_stage(session: AsyncSession, *, pipeline: Pipeline, stage_id: uuid.UUID,
                       data: StageUpdate, actor: Any) -> Pipeline:
    stage = _stage_of(pipeline, stage_id)
    before = audit_service.snapshot(stage)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "name" in changes:
        _check_unique_stage_names([s.name for s in pipeline.stages if s.id != stage.id] + [changes["name"]])
    for field in ("name", "probability", "kind"):
        if field in changes:
            setattr(stage, field, changes[field])
    if "position" in changes:
        stages = [s for s in pipeline.stages if s.id != stage.id]
        stages.insert(min(changes["position"], len(stages)), stage)
        _renumber(stages)
        pipeline.stages = stages
    await session.flush()
    await _record_change(session, actor, "pipeline.stage_updated", pipeline.id, before,
                         audit_service.snapshot(stage))
    return pipeline


async def delete_stage(session: AsyncSession, *, pipeline: Pipeline, stage_id: uuid.UUID, actor: Any) -> None:
    """Refused while any deal (deleted ones in the trash included) is in the stage. The
    database's foreign key says so, not a count made first: a deal moved in meanwhile by
    another request is caught too, and pipelines need not know about deals."""
    stage = _stage_of(pipeline, stage_id)
    before = audit_service.snapshot(stage)
    try:
        async with session.begin_nested():
            pipeline.stages = [s for s in pipeline.stages if s.id != stage.id]
            _renumber(pipeline.stages)
            await session.delete(stage)
            await session.flush()
    except IntegrityError as exc:
        if _violated_constraint(exc) == DEALS_STAGE_FK:
            raise StageInUse(f"Move the deals out of {stage.name!r} before deleting it.") from None
        raise
    await audit_service.record(session, actor=actor, action="pipeline.stage_deleted", entity_type="pipeline",
                               entity_id=pipeline.id, before=before)


def _violated_constraint(exc: IntegrityError) -> str | None:
    # asyncpg's error, wrapped by SQLAlchemy's adapter, names the constraint.
    cause = getattr(exc.orig, "__cause__", None)
    return getattr(cause, "constraint_name", None) or getattr(exc.orig, "constraint_name", None)


def _stage_of(pipeline: Pipeline, stage_id: uuid.UUID) -> PipelineStage:
    for stage in pipeline.stages:
        if stage.id == stage_id:
            return stage
    raise StageNotFound(f"No stage {stage_id} in pipeline {pipeline.name!r}.")


def _renumber(stages: list[PipelineStage]) -> None:
    for i, stage in enumerate(stages):
        stage.position = i


def _check_unique_stage_names(names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise NameTaken(f"Two stages cannot both be named {name!r}.")
        seen.add(name.casefold())


async def _record_change(session: AsyncSession, actor: Any, action: str, entity_id: uuid.UUID,
                         before: dict, after: dict) -> None:
    old, new = audit_service.changed(before, after)
    if new:
        await audit_service.record(session, actor=actor, action=action, entity_type="pipeline",
                                   entity_id=entity_id, before=old, after=new)
