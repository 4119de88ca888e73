"""indexes for the analytics rollup jobs' day scans; opportunities carry their value's currency

The rollup jobs (analytics/rollup_sql.py) rebuild a day from the rows that happened on it, and the
5-minute job first looks for older days changed since its last run. Without these indexes each
of those reads walked the whole table: 5 million activities, every message, every deal, for a
day that holds a few thousand rows (bench/insights/rollup_work.py measures each statement with
and without them at 1M contacts). They serve only those reads, so they are declared here rather
than in the owning domains' models:
- activities by `occurred_at` (live ones) and by `updated_at` (late changes);
- deals by `closed_at` (live ones: won and lost per day, revenue by product) and by `updated_at`;
- messages by `occurred_at` (messages per day, first-response times);
- reply suggestions by `updated_at` (suggestions reviewed days after they were made).

`opportunities.currency`: an opportunity's value is a price or a usual order, in the currency of
the product, line items or deal it came from. Rows written before this column get the currency of
their product's cheapest variant, else of their deal; the rest read as the shop's default.

Revision ID: 0025_rollup_indexes
Revises: 0024_search_parent
Create Date: 2026-12-06 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_rollup_indexes"
down_revision: str | Sequence[str] | None = "0024_search_parent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")
INDEXES = (
    ("ix_activities_occurred_at", "activities", "occurred_at", LIVE),
    ("ix_activities_updated_at", "activities", "updated_at", None),
    ("ix_deals_closed_at", "deals", "closed_at", LIVE),
    ("ix_deals_updated_at", "deals", "updated_at", None),
    ("ix_messages_occurred_at", "messages", "occurred_at", None),
    ("ix_reply_suggestions_updated_at", "reply_suggestions", "updated_at", None),
)


def upgrade() -> None:
    for name, table, column, where in INDEXES:
        op.create_index(name, table, [column], postgresql_where=where)
    op.add_column("opportunities", sa.Column("currency", sa.String(length=3), nullable=True))
    op.execute("""
        UPDATE opportunities o SET currency = (
            SELECT v.currency FROM product_variants v WHERE v.product_id = o.product_id ORDER BY v.price LIMIT 1)
        WHERE o.value IS NOT NULL AND o.product_id IS NOT NULL
    """)
    op.execute("""
        UPDATE opportunities o SET currency = d.currency FROM deals d
        WHERE o.value IS NOT NULL AND o.currency IS NULL AND d.id = o.deal_id
    """)


def downgrade() -> None:
    op.drop_column("opportunities", "currency")
    for name, table, _, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
