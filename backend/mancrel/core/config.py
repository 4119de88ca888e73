"""One typed place for every setting, read from the environment and `.env`."""

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "development-only-secret"}
DEFAULT_SECRET = "development-only-secret"


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


def _env(name: str) -> AliasChoices:
    """Accept both the bare name users know (DATABASE_URL) and a prefixed one."""
    return AliasChoices(name, f"MANCREL_{name}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MANCREL_", env_file=".env", extra="ignore")

    env: Environment = Environment.development
    secret_key: str = DEFAULT_SECRET
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path(".mancrel")
    log_level: str = "INFO"

    database_url: str | None = Field(default=None, validation_alias=_env("DATABASE_URL"))
    redis_url: str | None = Field(default=None, validation_alias=_env("REDIS_URL"))
    qdrant_url: str | None = Field(default=None, validation_alias=_env("QDRANT_URL"))

    admin_email: str = "admin@example.com"
    admin_password: str | None = None
    demo: bool = True

    access_token_minutes: int = 15
    refresh_token_days: int = 30
    login_max_failures_per_email: int = 5
    login_max_failures_per_ip: int = 50
    login_failure_window_seconds: int = 15 * 60

    db_pool_size: int = 10
    frontend_dist: Path | None = None
    # Server-side fetches of URLs admins set (catalogue poll URLs) go to public addresses
    # only (core.outbound). On, they may also reach loopback and private networks: for the
    # test suite's and `make run`'s stand-in servers on 127.0.0.1, never for production.
    allow_private_fetch: bool = False

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> "Settings":
        if self.env != Environment.development and (
            self.secret_key in PLACEHOLDER_SECRETS or len(self.secret_key) < 32
        ):
            raise ValueError(
                "MANCREL_SECRET_KEY must be set to a random value of at least 32 characters "
                f"outside development (MANCREL_ENV={self.env})"
            )
        return self

    @property
    def async_database_url(self) -> str:
        """The URL for asyncpg, whatever driver name the user wrote."""
        if not self.database_url:
            raise RuntimeError("DATABASE_URL is not set (mancrel run sets it for its children)")
        url = self.database_url
        for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+asyncpg://" + url[len(prefix):]
        return url

    @property
    def broker_url(self) -> str:
        if not self.redis_url:
            raise RuntimeError("REDIS_URL is not set (mancrel run sets it for its children)")
        return self.redis_url


@lru_cache
def get_settings() -> Settings:
    return Settings()
