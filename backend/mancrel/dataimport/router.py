import json
import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from mancrel.auth.dependencies import CurrentUser
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam, page_of
from mancrel.dataimport import service as import_service
from mancrel.dataimport.exceptions import InvalidImport
from mancrel.dataimport.models import ImportJob
from mancrel.dataimport.schemas import ImportPage, ImportRead

router = APIRouter(prefix="/imports", tags=["imports"])


def _mapping(raw: str | None) -> dict[str, str] | None:
    if raw is None or not raw.strip():
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidImport("mapping is not JSON", errors=[{"field": "mapping", "in": "body",
                                                            "message": "not JSON"}]) from exc
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise InvalidImport('mapping must be an object of "CSV column": "field"',
                            errors=[{"field": "mapping", "in": "body", "message": "not an object of strings"}])
    return value


@router.post("", response_model=ImportRead, status_code=202)
async def create_import(
    user: CurrentUser,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="A UTF-8 CSV with a header row.")],
    object_type: Annotated[str, Form(description="contacts, companies or deals")],
    mapping: Annotated[str | None, Form(description='JSON {"CSV column": "field"}; default: same names.')] = None,
) -> ImportJob:
    """Checks the file and mapping now; the rows are imported by a background job."""
    raw = await file.read(import_service.MAX_BYTES + 1)
    return await import_service.create(session, object_type=object_type, filename=file.filename or "",
                                       raw=raw, mapping=_mapping(mapping), actor=user)


@router.get("", response_model=ImportPage)
async def list_imports(user: CurrentUser, session: SessionDep, limit: LimitParam = 50,
                       cursor: CursorParam = None) -> ImportPage:
    rows = await import_service.list_page(session, actor=user, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda j: (j.created_at, j.id))
    return ImportPage(items=[ImportRead.model_validate(j) for j in items], next_cursor=next_cursor)


@router.get("/{import_id}", response_model=ImportRead)
async def get_import(import_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> ImportJob:
    return await import_service.get_visible(session, import_id, user)
