"""`/api/v1/channels`: the accounts customer messages arrive through. Admins only, except the WhatsApp
templates a rep needs to answer a customer after the 24-hour window, and the names in `/directory`."""

from fastapi import APIRouter, Response

from mancrel.auth.dependencies import AdminUser, CurrentUser
from mancrel.channel import service as channel_service
from mancrel.channel import templates
from mancrel.channel.dependencies import AnsweringChannel, ChannelDep
from mancrel.channel.health import channel_health
from mancrel.channel.schemas import (
    ChannelCreate,
    ChannelHealth,
    ChannelPage,
    ChannelRead,
    ChannelSummary,
    ChannelUpdate,
    MessageTemplateList,
)
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam, page_of

router = APIRouter(prefix="/channels", tags=["channels"])
DIRECTORY_LIMIT = 500  # a shop has a handful of channels; the cap only bounds the answer


@router.get("", response_model=ChannelPage)
async def list_channels(_: AdminUser, session: SessionDep, limit: LimitParam = 50,
                        cursor: CursorParam = None) -> ChannelPage:
    rows = await channel_service.list_page(session, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda c: (c.name, c.id))
    return ChannelPage(items=[channel_service.to_read(c) for c in items], next_cursor=next_cursor)


# Declared before /{channel_id}, which would otherwise take "directory" for an id.
@router.get("/directory", response_model=list[ChannelSummary])
async def list_channel_names(_: CurrentUser, session: SessionDep) -> list[ChannelSummary]:
    """Every channel's id, kind and name, for any signed-in user: the inbox's channel filter."""
    rows = await channel_service.list_page(session, limit=DIRECTORY_LIMIT, cursor=None)
    return [ChannelSummary.model_validate(c) for c in rows[:DIRECTORY_LIMIT]]


@router.post("", response_model=ChannelRead, status_code=201)
async def create_channel(data: ChannelCreate, admin: AdminUser, session: SessionDep) -> ChannelRead:
    return channel_service.to_read(await channel_service.create(session, data=data, actor=admin))


@router.get("/{channel_id}", response_model=ChannelRead)
async def get_channel(channel: ChannelDep) -> ChannelRead:
    return channel_service.to_read(channel)


@router.patch("/{channel_id}", response_model=ChannelRead)
async def update_channel(data: ChannelUpdate, channel: ChannelDep, admin: AdminUser,
                         session: SessionDep) -> ChannelRead:
    return channel_service.to_read(await channel_service.update(session, channel=channel, data=data, actor=admin))


@router.delete("/{channel_id}", status_code=204)
async def delete_channel(channel: ChannelDep, admin: AdminUser, session: SessionDep) -> Response:
    await channel_service.delete(session, channel=channel, actor=admin)
    return Response(status_code=204)


@router.get("/{channel_id}/health", response_model=ChannelHealth)
async def get_channel_health(channel: ChannelDep, session: SessionDep) -> ChannelHealth:
    return await channel_health(session, channel)


_TEMPLATE_PROBLEMS = {409: {"description": "Not a WhatsApp channel, or no settings.business_account_id set."},
                      502: {"description": "Meta refused the list (token, WABA id); shown on the channel's health."}}


@router.get("/{channel_id}/templates", response_model=MessageTemplateList, responses=_TEMPLATE_PROBLEMS)
async def list_channel_templates(channel: AnsweringChannel, session: SessionDep) -> MessageTemplateList:
    """The WhatsApp Business Account's approved templates: what may be sent after the 24-hour window."""
    return MessageTemplateList.model_validate(await templates.list_templates(session, channel), from_attributes=True)


@router.post("/{channel_id}/templates/refresh", response_model=MessageTemplateList, responses=_TEMPLATE_PROBLEMS)
async def refresh_channel_templates(channel: ChannelDep, session: SessionDep) -> MessageTemplateList:
    """Read the list from Meta now (a template approved a moment ago), instead of the few minutes' copy."""
    listed = await templates.list_templates(session, channel, refresh=True)
    return MessageTemplateList.model_validate(listed, from_attributes=True)
