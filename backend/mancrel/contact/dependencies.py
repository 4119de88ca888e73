import uuid
from typing import Annotated

from fastapi import Depends, Query

from mancrel.auth.dependencies import CurrentUser, ManagerUser
from mancrel.contact import service as contact_service
from mancrel.contact.models import Contact
from mancrel.contact.repository import SORTS
from mancrel.core.db import SessionDep
from mancrel.core.listing import Sort, parse_sort


async def visible_contact(contact_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Contact:
    return await contact_service.get_visible(session, contact_id, user)


async def deleted_contact(contact_id: uuid.UUID, session: SessionDep, user: ManagerUser) -> Contact:
    return await contact_service.get_deleted_visible(session, contact_id, user)


def contact_sort(sort: Annotated[str, Query(
        description="created_at, updated_at, last_name or first_name; prefix - to reverse.")] = "-created_at") -> Sort:
    return parse_sort(sort, SORTS)


VisibleContact = Annotated[Contact, Depends(visible_contact)]
DeletedContact = Annotated[Contact, Depends(deleted_contact)]
ContactSort = Annotated[Sort, Depends(contact_sort)]
AllowDuplicate = Annotated[bool, Query(description="Save even if the email or phone is on another contact.")]
