import uuid
from datetime import datetime
from typing import Annotated
from zoneinfo import available_timezones

from fastapi import APIRouter, Depends, Query, Response

from mancrel.activity import service as activity_service
from mancrel.activity.models import Activity
from mancrel.activity.repository import ActivityRepository, list_query
from mancrel.activity.schemas import (
    ActivityCreate,
    ActivityFilters,
    ActivityPage,
    ActivityRead,
    ActivityUpdate,
    MyTasks,
)
from mancrel.auth.dependencies import CurrentUser, ManagerUser
from mancrel.core.db import SessionDep
from mancrel.core.errors import Forbidden, InvalidInput
from mancrel.core.listing import apply_keyset, keyset_page, parse_sort, sort_field
from mancrel.core.pagination import CursorParam, LimitParam
from mancrel.core.permissions import SEES_EVERYTHING
from mancrel.core.records import IfMatch, check_if_match, set_etag
from mancrel.reply.task_links import conversations_of_tasks

router = APIRouter(prefix="/activities", tags=["activities"])

SORTS = {name: sort_field(getattr(Activity, name), datetime)
         for name in ("occurred_at", "created_at", "updated_at")}


async def visible_activity(activity_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Activity:
    return await activity_service.get_visible(session, activity_id, user)


VisibleActivity = Annotated[Activity, Depends(visible_activity)]


async def with_conversations(session: SessionDep, reads: list[ActivityRead]) -> list[ActivityRead]:
    """Name the conversation of tasks the reply step opened, so lists can link to it."""
    links = await conversations_of_tasks(session, [r.id for r in reads if r.type == "task"])
    for read in reads:
        read.conversation_id = links.get(read.id)
    return reads


@router.get("", response_model=ActivityPage)
async def list_activities(filters: Annotated[ActivityFilters, Query()], user: CurrentUser, session: SessionDep,
                          limit: LimitParam = 50, cursor: CursorParam = None) -> ActivityPage:
    if filters.deleted and user.role not in SEES_EVERYTHING:
        raise Forbidden("Only managers and admins see deleted activities.")
    sort = parse_sort(filters.sort, SORTS)
    stmt = apply_keyset(list_query(filters, user), sort, Activity.id, limit=limit, cursor=cursor)
    items, next_cursor = keyset_page(await ActivityRepository(session).page(stmt), sort, limit=limit)
    reads = await with_conversations(session, [ActivityRead.model_validate(a) for a in items])
    return ActivityPage(items=reads, next_cursor=next_cursor)


@router.get("/mine", response_model=MyTasks)
async def list_my_tasks(user: CurrentUser, session: SessionDep,
                        tz: Annotated[str, Query(description="IANA time zone that decides 'today'.")] = "UTC",
                        limit: LimitParam = 50) -> MyTasks:
    if tz not in available_timezones():
        raise InvalidInput(f"Unknown time zone {tz!r}.", errors=[{"field": "tz", "in": "query",
                                                                  "message": "unknown time zone"}])
    tasks = await activity_service.my_tasks(session, actor=user, tz=tz, limit=limit)
    await with_conversations(session, [*tasks.overdue, *tasks.today, *tasks.upcoming])
    return tasks


@router.post("", response_model=ActivityRead, status_code=201)
async def create_activity(data: ActivityCreate, user: CurrentUser, session: SessionDep,
                          response: Response) -> Activity:
    activity = await activity_service.create(session, data=data, actor=user)
    set_etag(response, activity)
    return activity


@router.get("/{activity_id}", response_model=ActivityRead)
async def get_activity(activity: VisibleActivity, session: SessionDep, response: Response) -> ActivityRead:
    set_etag(response, activity)
    return (await with_conversations(session, [ActivityRead.model_validate(activity)]))[0]


@router.patch("/{activity_id}", response_model=ActivityRead)
async def update_activity(data: ActivityUpdate, activity: VisibleActivity, user: CurrentUser, session: SessionDep,
                          response: Response, if_match: IfMatch = None) -> Activity:
    check_if_match(if_match, activity)
    activity = await activity_service.update(session, activity=activity, data=data, actor=user)
    set_etag(response, activity)
    return activity


@router.delete("/{activity_id}", status_code=204)
async def delete_activity(activity: VisibleActivity, user: CurrentUser, session: SessionDep,
                          if_match: IfMatch = None) -> Response:
    check_if_match(if_match, activity)
    await activity_service.delete(session, activity=activity, actor=user)
    return Response(status_code=204)


@router.post("/{activity_id}/restore", response_model=ActivityRead)
async def restore_activity(activity_id: uuid.UUID, user: ManagerUser, session: SessionDep,
                           response: Response) -> Activity:
    activity = await activity_service.get_visible(session, activity_id, user, include_deleted=True)
    activity = await activity_service.restore(session, activity=activity, actor=user)
    set_etag(response, activity)
    return activity
