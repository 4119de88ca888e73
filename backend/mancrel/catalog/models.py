"""Catalogue tables: sources, products with variants, and the webhook events they came from."""

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey, utcnow


class SourceKind(StrEnum):
    standard = "standard"  # Standard Webhooks, payload in our own documented shape
    shopify = "shopify"
    woocommerce = "woocommerce"
    feed = "feed"  # a generic JSON feed to poll; its webhooks are Standard Webhooks signed


class ProductStatus(StrEnum):
    active = "active"
    draft = "draft"
    archived = "archived"


class EventStatus(StrEnum):
    pending = "pending"
    processed = "processed"
    stale = "stale"  # an older version than the one we hold: applied nothing, on purpose
    failed = "failed"


class CatalogSource(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "catalog_sources"
    __table_args__ = (CheckConstraint("kind IN ('standard', 'shopify', 'woocommerce', 'feed')", name="kind"),)
    # Never copied into audit snapshots (audit/service.py).
    SECRET_FIELDS = ("webhook_secret_encrypted", "previous_secret_encrypted", "poll_credentials_encrypted")

    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    # Kinds whose payloads carry no currency (Shopify, WooCommerce) use this one.
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    # Fernet ciphertexts (core.security); the API never returns them.
    webhook_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    previous_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    previous_secret_expires_at: Mapped[datetime | None]
    poll_url: Mapped[str | None] = mapped_column(String(2000))
    poll_credentials_encrypted: Mapped[str | None] = mapped_column(Text)
    poll_interval_seconds: Mapped[int] = mapped_column(Integer, default=300, server_default="300")

    poll_cursor: Mapped[datetime | None]  # newest source updated_at seen by an incremental poll
    next_poll_at: Mapped[datetime | None]
    poll_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_poll_at: Mapped[datetime | None]  # last successful poll
    last_poll_error: Mapped[str | None] = mapped_column(Text)
    next_reconcile_at: Mapped[datetime | None]
    last_reconciled_at: Mapped[datetime | None]
    last_reconcile_drift: Mapped[int | None] = mapped_column(Integer)
    last_reconcile_tombstoned: Mapped[int | None] = mapped_column(Integer)

    @property
    def webhook_path(self) -> str:
        return f"/webhook/catalog/{self.id}"

    @property
    def has_webhook_secret(self) -> bool:
        return self.webhook_secret_encrypted is not None

    @property
    def has_poll_credentials(self) -> bool:
        return self.poll_credentials_encrypted is not None


class Product(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id", name="uq_products_source_id_external_id"),
        Index("ix_products_title", "title"),
        # Loose mentions in customers' messages look each word up here (`title %> word`, catalog/mentions.py).
        Index("ix_products_title_trgm", "title", postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops"}),
        CheckConstraint("status IN ('active', 'draft', 'archived')", name="status"),
    )

    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_sources.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    vendor: Mapped[str | None] = mapped_column(String(200))
    product_type: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(200)), default=list, server_default="{}")
    status: Mapped[str] = mapped_column(String(20), default=ProductStatus.active)
    images: Mapped[list[str]] = mapped_column(JSONB, default=list, server_default=text("'[]'::jsonb"))
    source_updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]  # a tombstone: deleted upstream, kept so late updates stay dead

    variants: Mapped[list["ProductVariant"]] = relationship(
        lazy="raise", order_by="ProductVariant.position", passive_deletes=True)


class ProductVariant(UUIDPrimaryKey, Base):
    __tablename__ = "product_variants"
    __table_args__ = (
        UniqueConstraint("product_id", "external_id", name="uq_product_variants_product_id_external_id"),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str | None] = mapped_column(String(500))
    sku: Mapped[str | None] = mapped_column(String(200), index=True)
    price: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    compare_at_price: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3))
    stock: Mapped[int | None] = mapped_column(Integer)
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))


# Customers type SKUs in any case: catalog/matching.py looks them up by lower(sku) (migration 0028).
Index("ix_product_variants_sku_lower", func.lower(ProductVariant.sku))


class CatalogEvent(UUIDPrimaryKey, Base):
    """One webhook delivery, stored before it is acknowledged and processed by a job."""

    __tablename__ = "catalog_events"
    __table_args__ = (
        UniqueConstraint("source_id", "delivery_id", name="uq_catalog_events_source_id_delivery_id"),
        Index("ix_catalog_events_source_id_received_at", "source_id", "received_at"),
        Index("ix_catalog_events_pending", "source_id", "received_at", postgresql_where=text("status = 'pending'")),
        # Millions of processed events stay (until the retention job): these keep an admin's
        # failed-events page and the freshness figure's last-processed time off them (0014).
        Index("ix_catalog_events_failed", "source_id", "received_at", postgresql_where=text("status = 'failed'")),
        Index("ix_catalog_events_processed", "source_id", "processed_at",
              postgresql_where=text("status IN ('processed', 'stale')")),
    )

    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_sources.id", ondelete="CASCADE"))
    delivery_id: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(100))
    # The raw bytes as signed: parsed by the job, so a malformed body is a failed event, not a 500.
    body: Mapped[bytes] = mapped_column(LargeBinary)
    triggered_at: Mapped[datetime | None]  # when the sender says the change happened
    received_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=text("now()"))
    status: Mapped[str] = mapped_column(String(20), default=EventStatus.pending)
    error: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime | None]
    external_id: Mapped[str | None] = mapped_column(String(200))
