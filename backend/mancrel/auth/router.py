from typing import Annotated

from fastapi import APIRouter, Depends, Response

from mancrel.auth import service as auth_service
from mancrel.auth.dependencies import CurrentUser, client_ip
from mancrel.auth.schemas import LoginRequest, LogoutRequest, PasswordChange, RefreshRequest, TokenPair
from mancrel.core.db import SessionDep

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenPair, responses={
    401: {"description": "Wrong email or password (one answer for both)."},
    429: {"description": "Too many failed attempts for this email from this address, or from this address; "
                         "wait `Retry-After` seconds."},
    503: {"description": "Sign-in limits cannot be kept right now (Valkey unreachable); retry after `Retry-After`."},
})
async def login(data: LoginRequest, session: SessionDep, ip: Annotated[str, Depends(client_ip)]) -> TokenPair:
    return await auth_service.login(session, email=data.email, password=data.password, client_ip=ip)


@router.post("/refresh", response_model=TokenPair)
async def refresh_tokens(data: RefreshRequest, session: SessionDep) -> TokenPair:
    return await auth_service.refresh(session, refresh_token=data.refresh_token)


@router.post("/logout", status_code=204)
async def logout(user: CurrentUser, session: SessionDep, data: LogoutRequest | None = None) -> Response:
    await auth_service.logout(session, user=user, refresh_token=data.refresh_token if data else None)
    return Response(status_code=204)


@router.post("/password", response_model=TokenPair, responses={
    422: {"description": "The current password is not right, or the new one is too easy to guess or unchanged."},
    429: {"description": "Too many wrong current passwords; wait `Retry-After` seconds."},
})
async def change_password(data: PasswordChange, user: CurrentUser, session: SessionDep,
                          ip: Annotated[str, Depends(client_ip)]) -> TokenPair:
    """Change the caller's own password. Every other session of theirs ends (their refresh tokens
    are revoked; open tabs elsewhere are signed out at their next refresh, within minutes); this
    one continues with the returned pair."""
    return await auth_service.change_password(session, user=user, current_password=data.current_password,
                                              new_password=data.new_password, client_ip=ip)
