"""the parts behind each classification's confidence

A reviewer sees why a message was or was not sent on: the head's calibrated probability of the
intent, its margin over the runner-up, and the out-of-scope score (issue #19). Rows classified
before this have none (null).

Revision ID: 0011_classification_parts
Revises: 0010_classification_language
Create Date: 2026-12-05 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_classification_parts"
down_revision: str | Sequence[str] | None = "0010_classification_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("head_probability", "margin", "oos_score")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("ai_classifications", sa.Column(name, sa.Float, nullable=True))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.drop_column("ai_classifications", name)
