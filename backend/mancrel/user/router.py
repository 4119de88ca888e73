from typing import Annotated

from fastapi import APIRouter, Depends

from mancrel.auth.dependencies import AdminUser, CurrentUser
from mancrel.core.db import SessionDep
from mancrel.core.pagination import CursorParam, LimitParam, page_of
from mancrel.user import service as user_service
from mancrel.user.dependencies import existing_user
from mancrel.user.models import User
from mancrel.user.schemas import UserCreate, UserPage, UserRead, UserSummary, UserUpdate

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserRead)
async def get_me(user: CurrentUser) -> User:
    return user


@router.get("/directory", response_model=list[UserSummary])
async def list_colleagues(user: CurrentUser, session: SessionDep) -> list[User]:
    """Active users, for every role: enough to show and pick record owners."""
    return await user_service.list_active(session)


@router.get("", response_model=UserPage)
async def list_users(_: AdminUser, session: SessionDep, limit: LimitParam = 50,
                     cursor: CursorParam = None) -> UserPage:
    rows = await user_service.list_page(session, limit=limit, cursor=cursor)
    items, next_cursor = page_of(rows, limit, key=lambda u: (u.created_at, u.id))
    return UserPage(items=[UserRead.model_validate(u) for u in items], next_cursor=next_cursor)


@router.post("", response_model=UserRead, status_code=201)
async def create_user(data: UserCreate, admin: AdminUser, session: SessionDep) -> User:
    return await user_service.create(session, data=data, actor=admin)


@router.get("/{user_id}", response_model=UserRead)
async def get_user(_: AdminUser, user: Annotated[User, Depends(existing_user)]) -> User:
    return user


@router.patch("/{user_id}", response_model=UserRead)
async def update_user(data: UserUpdate, admin: AdminUser, user: Annotated[User, Depends(existing_user)],
                      session: SessionDep) -> User:
    return await user_service.update(session, user=user, data=data, actor=admin)
