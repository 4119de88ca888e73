"""deals remember where they came from: a source (e.g. "lead_ads"), the source's own id for the
record (Meta's leadgen id), and its details (form, ad, campaign ids); one deal per source record

The unique index covers soft-deleted deals too: a lead Meta delivers again after a rep deleted
its deal must not bring the deal back as a second one.

Revision ID: 0018_lead_ads
Revises: 0017_meta
Create Date: 2026-12-05 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0018_lead_ads"
down_revision: str | Sequence[str] | None = "0017_meta"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("deals", sa.Column("source", sa.String(length=40), nullable=True))
    op.add_column("deals", sa.Column("source_ref", sa.String(length=200), nullable=True))
    op.add_column("deals", sa.Column("source_details", postgresql.JSONB(astext_type=sa.Text()),
                                     server_default=sa.text("'{}'::jsonb"), nullable=False))
    op.create_index("uq_deals_source_ref", "deals", ["source", "source_ref"], unique=True,
                    postgresql_where=sa.text("source_ref IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("uq_deals_source_ref", table_name="deals")
    op.drop_column("deals", "source_details")
    op.drop_column("deals", "source_ref")
    op.drop_column("deals", "source")
