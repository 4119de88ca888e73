import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from mancrel.ai import search as search_service
from mancrel.ai import service as ai_service
from mancrel.ai import taxonomy
from mancrel.ai.exceptions import UnknownSearchType
from mancrel.ai.models import Classification, TrainingExample
from mancrel.ai.schemas import (
    ClassificationPage,
    ClassificationRead,
    ClassifyRequest,
    ExampleCreate,
    ExamplePage,
    ExampleRead,
    IntentRead,
    ModelVersionPage,
    ModelVersionRead,
    Relabel,
    RetrainAccepted,
    SearchItem,
    SearchPage,
)
from mancrel.auth.dependencies import CurrentUser, ManagerUser
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam, page_of
from mancrel.worker.outbox import enqueue

search_router = APIRouter(prefix="/search", tags=["search"])
router = APIRouter(prefix="/ai", tags=["ai"])


def _types(types: str) -> list[str]:
    chosen = [t.strip() for t in types.split(",") if t.strip()]
    unknown = [t for t in chosen if t not in search_service.SEARCH_TYPES]
    if unknown or not chosen:
        raise UnknownSearchType(f"types must be a comma-separated subset of {', '.join(search_service.SEARCH_TYPES)}.",
                                errors=[{"field": "types", "in": "query", "message": f"unknown: {', '.join(unknown)}"}])
    return chosen


@search_router.get("", response_model=SearchPage)
async def search_records(user: CurrentUser, session: SessionDep,
                         q: Annotated[str, Query(min_length=1, max_length=500)],
                         types: str = ",".join(search_service.SEARCH_TYPES), limit: LimitParam = 20) -> SearchPage:
    """Keyword and semantic search over the records the user may see, best first. One page:
    rank fusion has no stable cursor, so `next_cursor` is always null; ask for a larger limit."""
    hits = await search_service.search(session, query=q, types=_types(types), actor=user, limit=limit)
    return SearchPage(items=[SearchItem(**vars(h)) for h in hits])


@router.get("/intents", response_model=list[IntentRead])
async def list_intents(_: CurrentUser) -> list[IntentRead]:
    return [IntentRead(name=k, description=v) for k, v in taxonomy.INTENTS.items()]


@router.post("/classify", response_model=ClassificationRead)
async def classify_text(data: ClassifyRequest, user: CurrentUser, session: SessionDep) -> Classification:
    return await ai_service.classify(session, text=data.text, actor=user)


@router.get("/classifications", response_model=ClassificationPage)
async def list_classifications(user: CurrentUser, session: SessionDep, limit: LimitParam = 50,
                               cursor: CursorParam = None) -> ClassificationPage:
    rows = await ai_service.list_classifications(session, actor=user, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda c: (c.created_at.isoformat(), c.id))
    return ClassificationPage(items=[ClassificationRead.model_validate(c) for c in items], next_cursor=next_cursor)


@router.patch("/classifications/{classification_id}", response_model=ClassificationRead)
async def relabel_classification(classification_id: uuid.UUID, data: Relabel, user: ManagerUser,
                                 session: SessionDep) -> Classification:
    return await ai_service.relabel(session, classification_id=classification_id, intent=data.intent,
                                    sentiment=data.sentiment, actor=user)


@router.get("/examples", response_model=ExamplePage)
async def list_examples(_: ManagerUser, session: SessionDep, limit: LimitParam = 50,
                        cursor: CursorParam = None) -> ExamplePage:
    rows = await ai_service.list_examples(session, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda e: (e.created_at.isoformat(), e.id))
    return ExamplePage(items=[ExampleRead.model_validate(e) for e in items], next_cursor=next_cursor)


@router.post("/examples", response_model=ExampleRead, status_code=201)
async def create_example(data: ExampleCreate, user: ManagerUser, session: SessionDep) -> TrainingExample:
    return await ai_service.add_example(session, text=data.text, intent=data.intent, sentiment=data.sentiment,
                                        actor=user)


@router.delete("/examples/{example_id}", status_code=204)
async def delete_example(example_id: uuid.UUID, user: ManagerUser, session: SessionDep) -> Response:
    await ai_service.delete_example(session, example_id=example_id, actor=user)
    return Response(status_code=204)


@router.get("/models", response_model=ModelVersionPage)
async def list_models(_: ManagerUser, session: SessionDep, limit: LimitParam = 20,
                      cursor: CursorParam = None) -> ModelVersionPage:
    rows = await ai_service.list_models(session, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda m: (m.version,))
    return ModelVersionPage(items=[ModelVersionRead.model_validate(m) for m in items], next_cursor=next_cursor)


@router.post("/models/retrain", response_model=RetrainAccepted, status_code=202)
async def retrain_model(user: ManagerUser, session: SessionDep) -> RetrainAccepted:
    """Queue a retrain on the shipped data plus every example and correction; the new version
    serves once trained (see GET /ai/models)."""
    enqueue(session, "ai.retrain", actor_id=user.id)
    return RetrainAccepted()
