import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from mancrel.auth.dependencies import CurrentUser, ManagerUser
from mancrel.contact import duplicates
from mancrel.contact import merge_service as contact_merge_service
from mancrel.contact import service as contact_service
from mancrel.contact.dependencies import AllowDuplicate, ContactSort, DeletedContact, VisibleContact
from mancrel.contact.export import export_contacts
from mancrel.contact.models import Contact, LifecycleStage
from mancrel.contact.schemas import (
    ContactCreate,
    ContactPage,
    ContactRead,
    ContactUpdate,
    DuplicatePage,
    MergeRead,
    MergeRequest,
    MergeResult,
)
from mancrel.core.db import SessionDep
from mancrel.core.errors import Forbidden
from mancrel.core.listing import keyset_page
from mancrel.core.pagination import CursorParam, LimitParam
from mancrel.core.permissions import SEES_EVERYTHING
from mancrel.core.record_filters import RecordFiltersDep
from mancrel.core.records import IfMatch, check_if_match, set_etag

router = APIRouter(tags=["contacts"])

LifecycleParam = Annotated[LifecycleStage | None, Query(alias="lifecycle_stage")]
CompanyParam = Annotated[uuid.UUID | None, Query()]


@router.get("/contacts", response_model=ContactPage)
async def list_contacts(user: CurrentUser, session: SessionDep, filters: RecordFiltersDep, sort: ContactSort,
                        limit: LimitParam = 50, cursor: CursorParam = None, lifecycle: LifecycleParam = None,
                        company_id: CompanyParam = None,
                        deleted: Annotated[bool, Query(description="Managers: the deleted ones.")] = False,
                        ) -> ContactPage:
    if deleted and user.role not in SEES_EVERYTHING:
        raise Forbidden("Only managers and admins see deleted records.")
    rows = await contact_service.list_page(session, actor=user, filters=filters, sort=sort, limit=limit,
                                           cursor=cursor, lifecycle=lifecycle, company_id=company_id,
                                           deleted=deleted)
    items, next_cursor = keyset_page(rows, sort, limit=limit)
    return ContactPage(items=[ContactRead.model_validate(c) for c in items], next_cursor=next_cursor)


@router.get("/contacts/export.csv", response_class=StreamingResponse)
async def export_contacts_csv(user: CurrentUser, session: SessionDep, filters: RecordFiltersDep,
                              sort: ContactSort, lifecycle: LifecycleParam = None,
                              company_id: CompanyParam = None) -> StreamingResponse:
    return await export_contacts(session, actor=user, filters=filters, sort=sort, lifecycle=lifecycle,
                                 company_id=company_id)


@router.get("/contacts/duplicates", response_model=DuplicatePage)
async def list_duplicate_contacts(user: CurrentUser, session: SessionDep, limit: LimitParam = 50,
                                  cursor: CursorParam = None) -> DuplicatePage:
    pairs, next_cursor = await duplicates.list_pairs(session, actor=user, limit=limit, cursor=cursor)
    return DuplicatePage(items=pairs, next_cursor=next_cursor)


@router.post("/contacts", response_model=ContactRead, status_code=201)
async def create_contact(data: ContactCreate, user: CurrentUser, session: SessionDep, response: Response,
                         allow_duplicate: AllowDuplicate = False) -> Contact:
    contact = await contact_service.create(session, data=data, actor=user, allow_duplicate=allow_duplicate)
    set_etag(response, contact)
    return contact


@router.get("/contacts/{contact_id}", response_model=ContactRead)
async def get_contact(contact: VisibleContact, response: Response) -> Contact:
    set_etag(response, contact)
    return contact


@router.patch("/contacts/{contact_id}", response_model=ContactRead)
async def update_contact(data: ContactUpdate, contact: VisibleContact, user: CurrentUser, session: SessionDep,
                         response: Response, if_match: IfMatch = None,
                         allow_duplicate: AllowDuplicate = False) -> Contact:
    check_if_match(if_match, contact)
    contact = await contact_service.update(session, contact=contact, data=data, actor=user,
                                           allow_duplicate=allow_duplicate)
    set_etag(response, contact)
    return contact


@router.delete("/contacts/{contact_id}", status_code=204)
async def delete_contact(contact: VisibleContact, user: CurrentUser, session: SessionDep,
                         if_match: IfMatch = None) -> Response:
    check_if_match(if_match, contact)
    await contact_service.delete(session, contact=contact, actor=user)
    return Response(status_code=204)


@router.post("/contacts/{contact_id}/restore", response_model=ContactRead)
async def restore_contact(contact: DeletedContact, user: ManagerUser, session: SessionDep,
                          response: Response) -> Contact:
    contact = await contact_service.restore(session, contact=contact, actor=user)
    set_etag(response, contact)
    return contact


@router.post("/contacts/{contact_id}/merge", response_model=MergeResult)
async def merge_contacts(data: MergeRequest, contact: VisibleContact, user: CurrentUser, session: SessionDep,
                         response: Response, if_match: IfMatch = None) -> MergeResult:
    check_if_match(if_match, contact)
    record = await contact_merge_service.merge(session, primary=contact, other_id=data.other_id, actor=user)
    set_etag(response, contact)
    return MergeResult(merge=MergeRead.model_validate(record), contact=ContactRead.model_validate(contact))


@router.post("/merges/{merge_id}/undo", response_model=ContactRead, tags=["contacts"])
async def undo_merge(merge_id: uuid.UUID, user: CurrentUser, session: SessionDep, response: Response) -> Contact:
    record = await contact_merge_service.get_visible_merge(session, merge_id, user)
    contact = await contact_merge_service.undo(session, record=record, actor=user)
    set_etag(response, contact)
    return contact
