from typing import Any

from mancrel.core.errors import AppError, TooManyRequests, Unauthorized


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
