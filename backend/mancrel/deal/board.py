"""The pipeline board: stages with their ordered cards, counts and totals per currency."""

import uuid
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.pagination import decode_cursor, encode_cursor
from mancrel.core.permissions import Actor
from mancrel.deal.board_repository import BoardRepository
from mancrel.deal.schemas import BoardRead, BoardStageRead, CardRead, CurrencyTotal
from mancrel.pipeline.exceptions import StageNotFound
from mancrel.pipeline.models import Pipeline, PipelineStage


async def board(session: AsyncSession, *, pipeline: Pipeline, actor: Actor, limit: int) -> BoardRead:
    repo = BoardRepository(session)
    stage_ids = [s.id for s in pipeline.stages]
    totals = await _totals(repo, stage_ids, actor)
    rows: dict[uuid.UUID, list[Row]] = defaultdict(list)
    for row in await repo.first_cards(stage_ids, actor, limit=limit):
        rows[row.stage_id].append(row)
    stages = [_stage_read(stage, rows[stage.id], limit=limit, totals=totals) for stage in pipeline.stages]
    return BoardRead(pipeline_id=pipeline.id, name=pipeline.name, stages=stages)


async def board_stage(session: AsyncSession, *, pipeline: Pipeline, stage_id: uuid.UUID, actor: Actor,
                      limit: int, cursor: str | None) -> BoardStageRead:
    stage = next((s for s in pipeline.stages if s.id == stage_id), None)
    if stage is None:
        raise StageNotFound(f"No stage {stage_id} in pipeline {pipeline.name!r}.")
    repo = BoardRepository(session)
    return await _stage(repo, stage, actor, limit=limit, cursor=cursor,
                        totals=await _totals(repo, [stage.id], actor))


Totals = dict[uuid.UUID, tuple[int, list[CurrencyTotal]]]


async def _totals(repo: BoardRepository, stage_ids: list[uuid.UUID], actor: Actor) -> Totals:
    counts: dict[uuid.UUID, int] = defaultdict(int)
    amounts: dict[uuid.UUID, list[CurrencyTotal]] = defaultdict(list)
    for row in await repo.totals(stage_ids, actor):
        counts[row.stage_id] += int(row.count)
        amounts[row.stage_id].append(CurrencyTotal(currency=row.currency, amount=Decimal(row.amount)))
    return {sid: (counts[sid], amounts[sid]) for sid in stage_ids}


async def _stage(repo: BoardRepository, stage: PipelineStage, actor: Actor, *, limit: int,
                 cursor: str | None, totals: Totals) -> BoardStageRead:
    after_key = tuple(decode_cursor(cursor, (int, uuid.UUID))) if cursor else None
    rows = await repo.cards(stage.id, actor, limit=limit, after_key=after_key)  # type: ignore[arg-type]
    return _stage_read(stage, rows, limit=limit, totals=totals)


def _stage_read(stage: PipelineStage, rows: list[Row], *, limit: int, totals: Totals) -> BoardStageRead:
    """One column from up to `limit + 1` fetched cards (the extra one says there are more)."""
    page = rows[:limit]
    next_cursor = encode_cursor((page[-1].rank, page[-1].id)) if len(rows) > limit and page else None
    count, amounts = totals[stage.id]
    return BoardStageRead(id=stage.id, name=stage.name, position=stage.position, probability=stage.probability,
                          kind=stage.kind.value, count=count, totals=amounts, next_cursor=next_cursor,
                          cards=[CardRead.model_validate(row, from_attributes=True) for row in page])
