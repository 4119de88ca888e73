"""Admins' view of jobs that failed for good: read, replay, discard."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mancrel.auth.dependencies import AdminUser
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam, page_of
from mancrel.deadletter import service as dead_letter_service
from mancrel.deadletter.models import DeadLetter
from mancrel.deadletter.schemas import (
    DeadLetterFilters,
    DeadLetterPage,
    DeadLetterRead,
    DeadLetterSummary,
    ReplayByFilter,
    ReplayResult,
)

router = APIRouter(prefix="/dead-letters", tags=["dead letters"])


@router.get("", response_model=DeadLetterPage)
async def list_dead_letters(_: AdminUser, session: SessionDep, filters: Annotated[DeadLetterFilters, Depends()],
                            limit: LimitParam = 50, cursor: CursorParam = None) -> DeadLetterPage:
    rows = await dead_letter_service.list_page(session, filters, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda d: (d.last_failed_at, d.id))
    return DeadLetterPage(items=[DeadLetterSummary.model_validate(d) for d in items], next_cursor=next_cursor)


# Declared before /{dead_letter_id} routes so "replay" is never read as an id.
@router.post("/replay", response_model=ReplayResult)
async def replay_dead_letters(data: ReplayByFilter, admin: AdminUser, session: SessionDep) -> ReplayResult:
    letters = await dead_letter_service.replay_matching(session, data, actor=admin)
    return ReplayResult(replayed=len(letters), items=[DeadLetterSummary.model_validate(d) for d in letters])


@router.get("/{dead_letter_id}", response_model=DeadLetterRead)
async def get_dead_letter(dead_letter_id: uuid.UUID, _: AdminUser, session: SessionDep) -> DeadLetter:
    return await dead_letter_service.get(session, dead_letter_id)


@router.post("/{dead_letter_id}/replay", response_model=DeadLetterRead)
async def replay_dead_letter(dead_letter_id: uuid.UUID, admin: AdminUser, session: SessionDep) -> DeadLetter:
    return await dead_letter_service.replay(session, dead_letter_id, actor=admin)


@router.delete("/{dead_letter_id}", status_code=204)
async def delete_dead_letter(dead_letter_id: uuid.UUID, admin: AdminUser, session: SessionDep) -> Response:
    await dead_letter_service.discard(session, dead_letter_id, actor=admin)
    return Response(status_code=204)
