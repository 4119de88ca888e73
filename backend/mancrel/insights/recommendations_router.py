"""`GET /contacts/{contact_id}/recommendations`: products to offer this customer, with reasons."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from mancrel.auth.dependencies import CurrentUser
from mancrel.contact import service as contact_service
from mancrel.core.db import SessionDep
from mancrel.insights import recommend_service
from mancrel.insights.recommend_schemas import RecommendationList

router = APIRouter(prefix="/contacts", tags=["insights"])


@router.get("/{contact_id}/recommendations", response_model=RecommendationList)
async def list_recommendations(contact_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                               limit: Annotated[int, Query(ge=1, le=100)] = 10) -> RecommendationList:
    """In-stock, active products ranked for the contact (who the caller must be able to see)."""
    await contact_service.get_visible(session, contact_id, user)  # 404 for a contact they may not see
    return await recommend_service.recommend(session, contact_id=contact_id, actor=user, limit=limit)
