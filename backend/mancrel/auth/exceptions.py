from typing import Any

from mancrel.core.errors import AppError, InvalidInput, TooManyRequests, Unauthorized


class InvalidCredentials(Unauthorized):
    title = "Invalid email or password"
    slug = "invalid-credentials"


class InvalidRefreshToken(Unauthorized):
    title = "Session expired"
    slug = "invalid-refresh-token"


class RefreshTokenReused(InvalidRefreshToken):
    slug = "refresh-token-reused"
    keeps_changes = True


class TooManyLoginAttempts(TooManyRequests):
    title = "Too many failed sign-in attempts"
    slug = "too-many-login-attempts"


class SignInUnavailable(AppError):
    """The sign-in limits live in Redis; without it sign-in waits rather than runs unlimited."""

    status, title, slug = 503, "Sign-in temporarily unavailable", "sign-in-unavailable"

    def __init__(self, detail: str | None = None, *, retry_after: int, **extra: Any):
        super().__init__(detail, headers={"Retry-After": str(retry_after)}, retry_after=retry_after, **extra)


class WrongCurrentPassword(InvalidInput):
    """Not 401: the caller is signed in, and a 401 would sign the web app out."""

    title = "Current password is not right"
    slug = "wrong-current-password"


class SamePassword(InvalidInput):
    title = "New password is the current one"
    slug = "same-password"
