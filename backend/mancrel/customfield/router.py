import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from mancrel.auth.dependencies import AdminUser, CurrentUser
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam, page_of
from mancrel.customfield import service as customfield_service
from mancrel.customfield.exceptions import CustomFieldNotFound
from mancrel.customfield.models import CustomField, ObjectType
from mancrel.customfield.schemas import CustomFieldCreate, CustomFieldPage, CustomFieldRead, CustomFieldUpdate

router = APIRouter(prefix="/custom-fields", tags=["custom fields"])


async def existing_field(field_id: uuid.UUID, session: SessionDep, _: CurrentUser) -> CustomField:
    field = await customfield_service.get(session, field_id)
    if field is None:
        raise CustomFieldNotFound(f"No custom field with id {field_id}.")
    return field


FieldDep = Annotated[CustomField, Depends(existing_field)]


@router.get("", response_model=CustomFieldPage)
async def list_custom_fields(_: CurrentUser, session: SessionDep, limit: LimitParam = 200, cursor: CursorParam = None,
                             object_type: Annotated[ObjectType | None, Query()] = None) -> CustomFieldPage:
    """Every role reads the definitions: forms and filters are built from them."""
    rows = await customfield_service.list_page(session, object_type=object_type, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda f: (f.object_type.value, f.position, f.id))
    return CustomFieldPage(items=[CustomFieldRead.model_validate(f) for f in items], next_cursor=next_cursor)


@router.post("", response_model=CustomFieldRead, status_code=201)
async def create_custom_field(data: CustomFieldCreate, admin: AdminUser, session: SessionDep) -> CustomField:
    return await customfield_service.create(session, data=data, actor=admin)


@router.get("/{field_id}", response_model=CustomFieldRead)
async def get_custom_field(field: FieldDep) -> CustomField:
    return field


@router.patch("/{field_id}", response_model=CustomFieldRead)
async def update_custom_field(data: CustomFieldUpdate, field: FieldDep, admin: AdminUser,
                              session: SessionDep) -> CustomField:
    return await customfield_service.update(session, field=field, data=data, actor=admin)


@router.delete("/{field_id}", status_code=204)
async def delete_custom_field(field: FieldDep, admin: AdminUser, session: SessionDep) -> Response:
    await customfield_service.delete(session, field=field, actor=admin)
    return Response(status_code=204)
