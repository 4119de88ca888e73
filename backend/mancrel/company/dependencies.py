import uuid
from typing import Annotated

from fastapi import Depends, Query

from mancrel.auth.dependencies import CurrentUser, ManagerUser
from mancrel.company import service as company_service
from mancrel.company.models import Company
from mancrel.company.repository import SORTS
from mancrel.core.db import SessionDep
from mancrel.core.listing import Sort, parse_sort


async def visible_company(company_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Company:
    return await company_service.get_visible(session, company_id, user)


async def deleted_company(company_id: uuid.UUID, session: SessionDep, user: ManagerUser) -> Company:
    return await company_service.get_deleted_visible(session, company_id, user)


def company_sort(sort: Annotated[str, Query(description="created_at, updated_at or name; prefix - to reverse.")]
                 = "-created_at") -> Sort:
    return parse_sort(sort, SORTS)


VisibleCompany = Annotated[Company, Depends(visible_company)]
DeletedCompany = Annotated[Company, Depends(deleted_company)]
CompanySort = Annotated[Sort, Depends(company_sort)]
