from mancrel.core.errors import Unauthorized


class InvalidCredentials(Unauthorized):
    title = "Invalid email or password"
    slug = "invalid-credentials"


class InvalidRefreshToken(Unauthorized):
    title = "Session expired"
    slug = "invalid-refresh-token"


class RefreshTokenReused(InvalidRefreshToken):
    slug = "refresh-token-reused"
    keeps_changes = True
