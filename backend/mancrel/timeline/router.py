"""`GET /{contacts|companies|deals}/{id}/timeline`: visibility of the record first (404), then its entries."""

import uuid

from fastapi import APIRouter

from mancrel.auth.dependencies import CurrentUser
from mancrel.company import service as company_service
from mancrel.contact import service as contact_service
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam
from mancrel.deal import service as deal_service
from mancrel.timeline import service as timeline_service
from mancrel.timeline.schemas import TimelinePage

router = APIRouter(tags=["timeline"])


@router.get("/contacts/{contact_id}/timeline", response_model=TimelinePage)
async def get_contact_timeline(contact_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                               limit: LimitParam = 50, cursor: CursorParam = None) -> TimelinePage:
    await contact_service.get_visible(session, contact_id, user)
    return await timeline_service.page(session, entity_type="contact", entity_id=contact_id, actor=user,
                                       limit=limit, cursor=cursor)


@router.get("/companies/{company_id}/timeline", response_model=TimelinePage)
async def get_company_timeline(company_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                               limit: LimitParam = 50, cursor: CursorParam = None) -> TimelinePage:
    await company_service.get_visible(session, company_id, user)
    return await timeline_service.page(session, entity_type="company", entity_id=company_id, actor=user,
                                       limit=limit, cursor=cursor)


@router.get("/deals/{deal_id}/timeline", response_model=TimelinePage)
async def get_deal_timeline(deal_id: uuid.UUID, user: CurrentUser, session: SessionDep,
                            limit: LimitParam = 50, cursor: CursorParam = None) -> TimelinePage:
    await deal_service.get_visible(session, deal_id, user)
    return await timeline_service.page(session, entity_type="deal", entity_id=deal_id, actor=user,
                                       limit=limit, cursor=cursor)
