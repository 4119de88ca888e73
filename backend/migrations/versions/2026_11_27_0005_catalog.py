"""catalogue: sources, products, variants, webhook events

Revision ID: 0005_catalog
Revises: 0001_platform
Create Date: 2026-11-27 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_catalog"
down_revision: str | Sequence[str] | None = "0001_platform"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "catalog_sources",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("currency", sa.String(3), server_default="USD", nullable=False),
        sa.Column("webhook_secret_encrypted", sa.Text(), nullable=True),
        sa.Column("previous_secret_encrypted", sa.Text(), nullable=True),
        sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("poll_url", sa.String(2000), nullable=True),
        sa.Column("poll_credentials_encrypted", sa.Text(), nullable=True),
        sa.Column("poll_interval_seconds", sa.Integer(), server_default="300", nullable=False),
        sa.Column("poll_cursor", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("poll_failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_poll_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_poll_error", sa.Text(), nullable=True),
        sa.Column("next_reconcile_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_reconciled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_reconcile_drift", sa.Integer(), nullable=True),
        sa.Column("last_reconcile_tombstoned", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("kind IN ('standard', 'shopify', 'woocommerce', 'feed')",
                           name=op.f("ck_catalog_sources_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_catalog_sources_name")),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("external_id", sa.String(200), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("vendor", sa.String(200), nullable=True),
        sa.Column("product_type", sa.String(200), nullable=True),
        sa.Column("tags", postgresql.ARRAY(sa.String(200)), server_default="{}", nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("images", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"),
                  nullable=False),
        sa.Column("source_updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("status IN ('active', 'draft', 'archived')", name=op.f("ck_products_status")),
        sa.ForeignKeyConstraint(["source_id"], ["catalog_sources.id"], ondelete="CASCADE",
                                name=op.f("fk_products_source_id_catalog_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("source_id", "external_id", name="uq_products_source_id_external_id"),
    )
    op.create_index("ix_products_title", "products", ["title"])
    op.create_table(
        "product_variants",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("external_id", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(500), nullable=True),
        sa.Column("sku", sa.String(200), nullable=True),
        sa.Column("price", sa.Numeric(14, 2), nullable=False),
        sa.Column("compare_at_price", sa.Numeric(14, 2), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=True),
        sa.Column("options", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"),
                  nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], ondelete="CASCADE",
                                name=op.f("fk_product_variants_product_id_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_variants")),
        sa.UniqueConstraint("product_id", "external_id", name="uq_product_variants_product_id_external_id"),
    )
    op.create_index(op.f("ix_product_variants_product_id"), "product_variants", ["product_id"])
    op.create_index(op.f("ix_product_variants_sku"), "product_variants", ["sku"])
    op.create_table(
        "catalog_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("delivery_id", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(100), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("triggered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("external_id", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["catalog_sources.id"], ondelete="CASCADE",
                                name=op.f("fk_catalog_events_source_id_catalog_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_events")),
        sa.UniqueConstraint("source_id", "delivery_id", name="uq_catalog_events_source_id_delivery_id"),
    )
    op.create_index("ix_catalog_events_source_id_received_at", "catalog_events", ["source_id", "received_at"])
    op.create_index("ix_catalog_events_pending", "catalog_events", ["source_id", "received_at"],
                    postgresql_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    op.drop_table("catalog_events")
    op.drop_table("product_variants")
    op.drop_table("products")
    op.drop_table("catalog_sources")
