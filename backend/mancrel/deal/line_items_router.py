"""`/deals/{deal_id}/line-items`: the products on a deal. Who may see the deal may edit its items,
as for the deal itself (a rep: their own and unassigned deals; managers and admins: all)."""

import uuid

from fastapi import APIRouter, Response

from mancrel.auth.dependencies import CurrentUser
from mancrel.core.db import SessionDep
from mancrel.deal import line_items_service as service
from mancrel.deal.dependencies import VisibleDeal
from mancrel.deal.line_items_models import DealLineItem
from mancrel.deal.line_items_schemas import LineItemCreate, LineItemList, LineItemRead, LineItemUpdate

router = APIRouter(prefix="/deals/{deal_id}/line-items", tags=["deals"])


@router.get("", response_model=LineItemList)
async def list_line_items(deal: VisibleDeal, session: SessionDep) -> LineItemList:
    return await service.list_items(session, deal=deal)


@router.post("", response_model=LineItemRead, status_code=201)
async def create_line_item(data: LineItemCreate, deal: VisibleDeal, user: CurrentUser,
                           session: SessionDep) -> DealLineItem:
    return await service.add(session, deal=deal, data=data, actor=user)


@router.get("/{item_id}", response_model=LineItemRead)
async def get_line_item(item_id: uuid.UUID, deal: VisibleDeal, session: SessionDep) -> DealLineItem:
    return await service.get(session, deal=deal, item_id=item_id)


@router.patch("/{item_id}", response_model=LineItemRead)
async def update_line_item(item_id: uuid.UUID, data: LineItemUpdate, deal: VisibleDeal, user: CurrentUser,
                           session: SessionDep) -> DealLineItem:
    item = await service.get(session, deal=deal, item_id=item_id)
    return await service.update(session, deal=deal, item=item, data=data, actor=user)


@router.delete("/{item_id}", status_code=204)
async def delete_line_item(item_id: uuid.UUID, deal: VisibleDeal, user: CurrentUser, session: SessionDep) -> Response:
    item = await service.get(session, deal=deal, item_id=item_id)
    await service.delete(session, deal=deal, item=item, actor=user)
    return Response(status_code=204)
