"""Who is calling, and may they: the dependencies every router uses."""

import uuid
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mancrel.core.db import SessionDep
from mancrel.core.errors import Forbidden, Unauthorized
from mancrel.core.permissions import Role
from mancrel.core.security import decode_access_token
from mancrel.user import service as user_service
from mancrel.user.models import User

_bearer = HTTPBearer(auto_error=False, description="The access token from /api/v1/auth/login.")


async def get_current_user(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if credentials is None:
        raise Unauthorized("Sign in to continue.")
    claims = decode_access_token(credentials.credentials)
    if claims is None:
        raise Unauthorized("Your session has expired. Sign in again.")
    try:
        user_id = uuid.UUID(claims["sub"])
    except ValueError as exc:
        raise Unauthorized("Your session has expired. Sign in again.") from exc
    # Loaded on every request, so deactivation and role changes apply at once.
    user = await user_service.get(session, user_id)
    if user is None or not user.is_active:
        raise Unauthorized("Your account is not active.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_roles(*roles: Role):
    allowed = set(roles)

    async def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise Forbidden("Your role does not allow this.")
        return user

    return Depends(check)


AdminUser = Annotated[User, require_roles(Role.admin)]
ManagerUser = Annotated[User, require_roles(Role.admin, Role.manager)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
