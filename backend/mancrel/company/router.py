from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from mancrel.auth.dependencies import CurrentUser, ManagerUser
from mancrel.company import service as company_service
from mancrel.company.dependencies import CompanySort, DeletedCompany, VisibleCompany
from mancrel.company.export import export_companies
from mancrel.company.models import Company
from mancrel.company.schemas import CompanyCreate, CompanyPage, CompanyRead, CompanyUpdate
from mancrel.core.db import SessionDep
from mancrel.core.errors import Forbidden
from mancrel.core.listing import keyset_page
from mancrel.core.pagination import CursorParam, LimitParam
from mancrel.core.permissions import SEES_EVERYTHING
from mancrel.core.record_filters import RecordFiltersDep
from mancrel.core.records import IfMatch, check_if_match, set_etag

router = APIRouter(prefix="/companies", tags=["companies"])


@router.get("", response_model=CompanyPage)
async def list_companies(user: CurrentUser, session: SessionDep, filters: RecordFiltersDep, sort: CompanySort,
                         limit: LimitParam = 50, cursor: CursorParam = None,
                         deleted: Annotated[bool, Query(description="Managers: the deleted ones.")] = False,
                         ) -> CompanyPage:
    if deleted and user.role not in SEES_EVERYTHING:
        raise Forbidden("Only managers and admins see deleted records.")
    rows = await company_service.list_page(session, actor=user, filters=filters, sort=sort, limit=limit,
                                           cursor=cursor, deleted=deleted)
    items, next_cursor = keyset_page(rows, sort, limit=limit)
    return CompanyPage(items=[CompanyRead.model_validate(c) for c in items], next_cursor=next_cursor)


@router.get("/export.csv", response_class=StreamingResponse)
async def export_companies_csv(user: CurrentUser, session: SessionDep, filters: RecordFiltersDep,
                               sort: CompanySort) -> StreamingResponse:
    return await export_companies(session, actor=user, filters=filters, sort=sort)


@router.post("", response_model=CompanyRead, status_code=201)
async def create_company(data: CompanyCreate, user: CurrentUser, session: SessionDep, response: Response) -> Company:
    company = await company_service.create(session, data=data, actor=user)
    set_etag(response, company)
    return company


@router.get("/{company_id}", response_model=CompanyRead)
async def get_company(company: VisibleCompany, response: Response) -> Company:
    set_etag(response, company)
    return company


@router.patch("/{company_id}", response_model=CompanyRead)
async def update_company(data: CompanyUpdate, company: VisibleCompany, user: CurrentUser, session: SessionDep,
                         response: Response, if_match: IfMatch = None) -> Company:
    check_if_match(if_match, company)
    company = await company_service.update(session, company=company, data=data, actor=user)
    set_etag(response, company)
    return company


@router.delete("/{company_id}", status_code=204)
async def delete_company(company: VisibleCompany, user: CurrentUser, session: SessionDep,
                         if_match: IfMatch = None) -> Response:
    check_if_match(if_match, company)
    await company_service.delete(session, company=company, actor=user)
    return Response(status_code=204)


@router.post("/{company_id}/restore", response_model=CompanyRead)
async def restore_company(company: DeletedCompany, user: ManagerUser, session: SessionDep,
                          response: Response) -> Company:
    company = await company_service.restore(session, company=company, actor=user)
    set_etag(response, company)
    return company
