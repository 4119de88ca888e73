"""whether a classification was near the out-of-scope limit

The fourth part behind a classification's confidence (issue #19): an in-scope answer near the
out-of-scope limit must clear a stricter anchor, so its confidence is held lower and the message
may wait for a person. Kept so a reviewer can see that this is why. Rows classified before this
stay null ("not recorded"); new ones are true or false.

Revision ID: 0026_classification_near_limit
Revises: 0025_rollup_indexes
Create Date: 2026-12-06 03:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_classification_near_limit"
down_revision: str | Sequence[str] | None = "0025_rollup_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable with no default: adding it rewrites no rows, and old rows read as "not recorded".
    op.add_column("ai_classifications", sa.Column("near_limit", sa.Boolean, nullable=True))


def downgrade() -> None:
    op.drop_column("ai_classifications", "near_limit")
