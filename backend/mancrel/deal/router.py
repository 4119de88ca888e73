import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from mancrel.auth.dependencies import CurrentUser, ManagerUser
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam
from mancrel.core.records import IfMatch, check_if_match, set_etag
from mancrel.deal import export as deal_export
from mancrel.deal import listing as deal_listing
from mancrel.deal import service as deal_service
from mancrel.deal.dependencies import VisibleDeal
from mancrel.deal.models import Deal
from mancrel.deal.schemas import DealCreate, DealFilters, DealLost, DealMove, DealPage, DealRead, DealUpdate

router = APIRouter(prefix="/deals", tags=["deals"])

Filters = Annotated[DealFilters, Query()]


@router.get("", response_model=DealPage)
async def list_deals(request: Request, filters: Filters, user: CurrentUser, session: SessionDep,
                     limit: LimitParam = 50, cursor: CursorParam = None) -> DealPage:
    """Deals the caller may see. Custom fields filter as `cf.<field>=value`."""
    return await deal_listing.page(session, filters=filters, custom=deal_listing.custom_filters(request),
                                   actor=user, limit=limit, cursor=cursor)


@router.get("/export.csv", response_class=StreamingResponse)
async def export_deals(request: Request, filters: Filters, user: CurrentUser,
                       session: SessionDep) -> StreamingResponse:
    """The list's filters, every matching deal the caller may see, as CSV."""
    return await deal_export.export(session, filters=filters,
                                    custom=deal_listing.custom_filters(request), actor=user)


@router.post("", response_model=DealRead, status_code=201)
async def create_deal(data: DealCreate, user: CurrentUser, session: SessionDep, response: Response) -> Deal:
    deal = await deal_service.create(session, data=data, actor=user)
    set_etag(response, deal)
    return deal


@router.get("/{deal_id}", response_model=DealRead)
async def get_deal(deal: VisibleDeal, response: Response) -> Deal:
    set_etag(response, deal)
    return deal


@router.patch("/{deal_id}", response_model=DealRead)
async def update_deal(data: DealUpdate, deal: VisibleDeal, user: CurrentUser, session: SessionDep,
                      response: Response, if_match: IfMatch = None) -> Deal:
    check_if_match(if_match, deal)
    deal = await deal_service.update(session, deal=deal, data=data, actor=user)
    set_etag(response, deal)
    return deal


@router.delete("/{deal_id}", status_code=204)
async def delete_deal(deal: VisibleDeal, user: CurrentUser, session: SessionDep,
                      if_match: IfMatch = None) -> Response:
    check_if_match(if_match, deal)
    await deal_service.delete(session, deal=deal, actor=user)
    return Response(status_code=204)


@router.post("/{deal_id}/restore", response_model=DealRead)
async def restore_deal(deal_id: uuid.UUID, user: ManagerUser, session: SessionDep, response: Response) -> Deal:
    deal = await deal_service.get_visible(session, deal_id, user, include_deleted=True)
    deal = await deal_service.restore(session, deal=deal, actor=user)
    set_etag(response, deal)
    return deal


@router.post("/{deal_id}/move", response_model=DealRead)
async def move_deal(data: DealMove, deal: VisibleDeal, user: CurrentUser, session: SessionDep,
                    response: Response, if_match: IfMatch = None) -> Deal:
    check_if_match(if_match, deal)
    deal = await deal_service.move(session, deal=deal, stage_id=data.stage_id, position=data.position, actor=user)
    set_etag(response, deal)
    return deal


@router.post("/{deal_id}/won", response_model=DealRead)
async def win_deal(deal: VisibleDeal, user: CurrentUser, session: SessionDep, response: Response,
                   if_match: IfMatch = None) -> Deal:
    check_if_match(if_match, deal)
    deal = await deal_service.mark_won(session, deal=deal, actor=user)
    set_etag(response, deal)
    return deal


@router.post("/{deal_id}/lost", response_model=DealRead)
async def lose_deal(data: DealLost, deal: VisibleDeal, user: CurrentUser, session: SessionDep,
                    response: Response, if_match: IfMatch = None) -> Deal:
    check_if_match(if_match, deal)
    deal = await deal_service.mark_lost(session, deal=deal, reason=data.reason, actor=user)
    set_etag(response, deal)
    return deal
