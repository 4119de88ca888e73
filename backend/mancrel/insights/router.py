"""`/api/v1/insights`: lead scores, churn alerts, opportunities and the Today digest.

Every list is the caller's: a rep's own and unassigned contacts, everyone's for managers and
admins (the contacts' rule, core/permissions)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from mancrel.auth.dependencies import CurrentUser
from mancrel.contact import service as contact_service
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam
from mancrel.insights import churn, leads, opportunities
from mancrel.insights import today as today_service
from mancrel.insights.lead_score_schemas import (
    ChurnPage,
    LeadPage,
    LeadRead,
    OpportunityPage,
    OpportunityRead,
    TodayRead,
)

router = APIRouter(prefix="/insights", tags=["insights"])


@router.get("/leads", response_model=LeadPage)
async def list_leads(user: CurrentUser, session: SessionDep, limit: LimitParam = 20, cursor: CursorParam = None,
                     min_score: Annotated[int, Query(ge=0, le=100)] = 0) -> LeadPage:
    """The hottest leads first: the chance (0-100) to win a deal within 90 days, with reasons and trend."""
    return await leads.hottest(session, actor=user, limit=limit, cursor=cursor, min_score=min_score)


@router.get("/leads/{contact_id}", response_model=LeadRead)
async def get_lead_score(contact_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> LeadRead:
    """One contact's score with its reasons and trend (the contact card); 404 when not scored."""
    contact = await contact_service.get_visible(session, contact_id, user)  # 404 for one they may not see
    return await leads.of_contact(session, contact)


@router.get("/churn", response_model=ChurnPage)
async def list_churn_alerts(user: CurrentUser, session: SessionDep, limit: LimitParam = 20,
                            cursor: CursorParam = None) -> ChurnPage:
    """Open churn alerts, most severe first."""
    return await churn.visible_alerts(session, actor=user, limit=limit, cursor=cursor)


@router.get("/opportunities", response_model=OpportunityPage)
async def list_opportunities(user: CurrentUser, session: SessionDep, limit: LimitParam = 20,
                             cursor: CursorParam = None) -> OpportunityPage:
    """Open opportunities, newest first; dismissed and converted ones are not shown."""
    return await opportunities.visible(session, actor=user, limit=limit, cursor=cursor)


@router.post("/opportunities/{opportunity_id}/dismiss", response_model=OpportunityRead)
async def dismiss_opportunity(opportunity_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> OpportunityRead:
    """Never shown again, and never raised again for the same thing."""
    return await opportunities.dismiss(session, opportunity_id=opportunity_id, actor=user)


@router.post("/opportunities/{opportunity_id}/create-deal", response_model=OpportunityRead, status_code=201)
async def create_deal_from_opportunity(opportunity_id: uuid.UUID, user: CurrentUser,
                                       session: SessionDep) -> OpportunityRead:
    """Create the deal in one click; the answer names it (`deal_id`)."""
    return await opportunities.create_deal(session, opportunity_id=opportunity_id, actor=user)


@router.get("/today", response_model=TodayRead)
async def get_today(user: CurrentUser, session: SessionDep) -> TodayRead:
    """Top leads, churn risks, opportunities, and the caller's overdue escalations and tasks."""
    return await today_service.today(session, actor=user)
