import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, field_serializer

from mancrel.catalog.models import ProductStatus, SourceKind
from mancrel.core.types import Text


class VariantRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    external_id: str
    sku: str | None
    title: str | None
    price: Decimal
    compare_at_price: Decimal | None
    currency: str
    stock: int | None
    options: dict[str, Any]

    @field_serializer("price", "compare_at_price")
    def _money(self, value: Decimal | None) -> str | None:
        return None if value is None else str(value)


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    source_id: uuid.UUID
    external_id: str
    title: str
    description: str
    vendor: str | None
    product_type: str | None
    tags: list[str]
    status: ProductStatus
    images: list[str]
    source_updated_at: datetime
    updated_at: datetime
    variants: list[VariantRead]


class ProductPage(BaseModel):
    items: list[ProductRead]
    next_cursor: str | None = None


POLL_URL = ("Shopify: the full products.json URL; WooCommerce: the store's REST API v3 products endpoint, "
            "e.g. https://shop.example/wp-json/wc/v3/products (https); feed: the feed URL. Fetched by the server, "
            "so it must lead to a public address.")
POLL_CREDENTIALS = ("Write-only. Shopify access token; WooCommerce consumer key and secret as `ck_...:cs_...`; "
                    "feed bearer token.")


def _fits_column(url: HttpUrl) -> HttpUrl:
    # Normalising (punycode, percent-encoding) can lengthen a URL: check what will be stored.
    if len(str(url)) > 2000:
        raise ValueError("URL too long (at most 2000 characters)")
    return url


PollUrl = Annotated[HttpUrl, AfterValidator(_fits_column)]


class SourceCreate(BaseModel):
    name: Text = Field(min_length=1, max_length=120)
    kind: SourceKind
    webhook_secret: Text | None = Field(default=None, min_length=8, max_length=500,
                                       description="Write-only. `whsec_...` for standard and feed sources.")
    poll_url: PollUrl | None = Field(default=None, description=POLL_URL)
    poll_credentials: Text | None = Field(default=None, max_length=2000, description=POLL_CREDENTIALS)
    poll_interval_seconds: int = Field(default=300, ge=30, le=86400)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    enabled: bool = True


class SourceUpdate(BaseModel):
    name: Text | None = Field(default=None, min_length=1, max_length=120)
    webhook_secret: Text | None = Field(default=None, min_length=8, max_length=500,
                                       description="A new secret; the old one stays valid for a grace period.")
    poll_url: PollUrl | None = Field(default=None, description=POLL_URL)
    poll_credentials: Text | None = Field(default=None, max_length=2000, description=POLL_CREDENTIALS)
    poll_interval_seconds: int | None = Field(default=None, ge=30, le=86400)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    enabled: bool | None = None


class SourceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: SourceKind
    enabled: bool
    currency: str
    webhook_path: str
    has_webhook_secret: bool
    previous_secret_expires_at: datetime | None
    poll_url: str | None
    has_poll_credentials: bool
    poll_interval_seconds: int
    next_poll_at: datetime | None
    last_poll_at: datetime | None
    last_poll_error: str | None
    last_reconciled_at: datetime | None
    created_at: datetime


class SourcePage(BaseModel):
    items: list[SourceRead]
    next_cursor: str | None = None


class EventCounts(BaseModel):
    received: int
    processed: int
    stale: int
    failed: int
    pending: int
    duplicate: int
    refused: int = Field(description="Deliveries refused because their signature did not verify (no row is kept).")


class SourceHealth(BaseModel):
    source_id: uuid.UUID
    name: str
    enabled: bool
    last_webhook_at: datetime | None
    last_successful_poll_at: datetime | None
    last_poll_error: str | None
    events_24h: EventCounts
    oldest_pending_event_at: datetime | None
    freshness_lag_seconds: float | None = Field(
        description="Seconds the catalogue is behind its source: the age of the oldest change known to be "
                    "missing (a delivery not applied, refused or dead-lettered; polls failing or overdue). "
                    "0 when in step, however long since the shop last changed something.")
    behind_because: str | None = Field(
        description="Why the catalogue is behind (the oldest cause first); null when in step.")
    live_products: int
    last_reconciled_at: datetime | None
    last_reconcile_drift: int | None
    last_reconcile_tombstoned: int | None


class EventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    delivery_id: str
    topic: str | None
    status: str
    error: str | None
    external_id: str | None
    received_at: datetime
    processed_at: datetime | None


class EventPage(BaseModel):
    items: list[EventRead]
    next_cursor: str | None = None


class PollResult(BaseModel):
    fetched: int
    written: int
    tombstoned: int = 0
    drift: int = 0
