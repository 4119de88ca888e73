from typing import Annotated

from fastapi import APIRouter, Depends

from mancrel.audit import service as audit_service
from mancrel.audit.schemas import AuditEntryRead, AuditFilters, AuditPage
from mancrel.auth.dependencies import AdminUser
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam, page_of

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=AuditPage)
async def list_audit_entries(_: AdminUser, session: SessionDep, filters: Annotated[AuditFilters, Depends()],
                             limit: LimitParam = 50, cursor: CursorParam = None) -> AuditPage:
    rows = await audit_service.list_entries(session, filters, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda e: (e.occurred_at, e.id))
    return AuditPage(items=[AuditEntryRead.model_validate(e) for e in items], next_cursor=next_cursor)
