"""One typed place for every setting, read from the environment and `.env`."""

import ipaddress
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, ValidationInfo, field_validator, model_validator
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
    # Failed sign-ins slow the caller down rather than lock the account (auth.ratelimit): a
    # few free tries per email and address, then growing waits; and a ceiling per address.
    login_free_attempts: int = 3
    login_max_delay_seconds: int = 5 * 60
    login_max_failures_per_ip: int = 50
    login_failure_window_seconds: int = 15 * 60
    # Two tabs refreshing with one token at the same moment both get the same new pair.
    refresh_reuse_grace_seconds: int = 5

    db_pool_size: int = 10
    # Customer messages classified together in one forward pass by `ai.process_message`. A job takes
    # what is waiting, up to this many, so a large cap costs nothing at low traffic; 256 is where the
    # worker first met 300 email-length messages/s on 2 cores (bench/README.md, "Inbox").
    ai_message_batch: int = Field(default=256, ge=1, le=512)
    # The `openai` reply provider (reply/openai_provider.py): any OpenAI-compatible chat endpoint.
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_seconds: float = Field(default=20.0, gt=0, le=120)
    llm_max_retries: int = Field(default=2, ge=0, le=6)
    llm_max_tokens: int = Field(default=400, ge=16, le=4000)
    frontend_dist: Path | None = None
    # Server-side fetches of URLs admins set (catalogue poll URLs) go to public addresses
    # only (core.outbound), and into these networks besides: a self-hosted shop on the LAN
    # ("10.20.0.5/32"), or loopback for the tests' and `make run`'s stand-in shops. Written
    # comma-separated, as the environment gives it (NoDecode: not JSON).
    fetch_allowed_networks: Annotated[tuple[IPNetwork, ...], NoDecode] = ()
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (core.middleware);
    # from anyone else those headers are ignored, so a client cannot pick its own address.
    trusted_proxies: Annotated[tuple[IPNetwork, ...], NoDecode] = ()
    # Who may read /metrics: callers from these networks, or with MANCREL_METRICS_TOKEN as bearer.
    metrics_allowed_networks: Annotated[tuple[IPNetwork, ...], NoDecode] = (
        ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
    metrics_token: str | None = None
    # Retention (system/retention.py, hourly): rows that are done with and older than this many
    # days are deleted, a batch at a time. Only finished rows go: pending or failed events,
    # unpublished outbox jobs stay whatever their age. 0 keeps them forever.
    retention_catalog_events_days: int = Field(default=30, ge=0)   # processed or stale shop events
    retention_inbound_events_days: int = Field(default=30, ge=0)   # processed mail deliveries (raw bodies)
    retention_outbox_days: int = Field(default=7, ge=0)            # published outbox jobs
    # Completion markers guard against a broker redelivering a finished job: it does so within
    # its visibility timeout (30 minutes); a week leaves room for a replay investigated by hand.
    retention_task_completions_days: int = Field(default=7, ge=0)
    retention_batch_rows: int = Field(default=5000, ge=1, le=100_000)
    # The shop's currency (ISO 4217): what a money figure is in when nothing more specific (a
    # deal's, a product variant's) says otherwise, e.g. an opportunity estimated from a message.
    default_currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")

    @field_validator("fetch_allowed_networks", "trusted_proxies", "metrics_allowed_networks", mode="before")
    @classmethod
    def _parse_networks(cls, value: object, info: ValidationInfo) -> object:
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
                raise ValueError(f"MANCREL_{info.field_name.upper()}: {exc} (write networks in CIDR, "
                                 "e.g. 10.20.0.0/16, or single addresses)") from exc
        return tuple(networks)

    @field_validator("metrics_token")
    @classmethod
    def _long_metrics_token(cls, value: str | None) -> str | None:
        # Unset means "no token"; an empty string in .env is the same thing, not a secret.
        if not value:
            return None
        if len(value) < 24:
            raise ValueError("MANCREL_METRICS_TOKEN must be at least 24 random characters")
        return value

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
