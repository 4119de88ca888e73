"""One typed place for every setting, read from the environment and `.env`."""

import ipaddress
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
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
    # only (core.outbound), and into these networks besides: a self-hosted shop on the LAN
    # ("10.20.0.5/32"), or loopback for the tests' and `make run`'s stand-in shops. Written
    # comma-separated, as the environment gives it (NoDecode: not JSON).
    # Customer messages classified together in one forward pass by `ai.process_message`.
    ai_message_batch: int = Field(default=64, ge=1, le=512)
    fetch_allowed_networks: Annotated[tuple[IPNetwork, ...], NoDecode] = ()

    @field_validator("fetch_allowed_networks", mode="before")
    @classmethod
    def _parse_networks(cls, value: object) -> object:
        """CIDR entries; a bare address is that one host. A bad entry stops the start rather
        than being skipped, and 10.20.0.5/24 (host bits set) is refused rather than read as
        10.20.0.0/24: whoever wrote it may have meant the one host."""
        if not isinstance(value, str):
            return value
        networks = []
        for entry in filter(None, (part.strip() for part in value.split(","))):
            try:
                networks.append(ipaddress.ip_network(entry))
            except ValueError as exc:
                raise ValueError(f"MANCREL_FETCH_ALLOWED_NETWORKS: {exc} (write networks in CIDR, "
                                 "e.g. 10.20.0.0/16, or single addresses)") from exc
        return tuple(networks)

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
