"""the language of each classified message

The models read English; a message in another language is reported with its language and left
to a human (mancrel/ai/language.py). Rows classified before this are English as far as we know.

Revision ID: 0010_classification_language
Revises: 0009_contact_search_statistics
Create Date: 2026-11-28 12:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_classification_language"
down_revision: str | Sequence[str] | None = "0009_contact_search_statistics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("ai_classifications", sa.Column("language", sa.String(8), nullable=False, server_default="en"))


def downgrade() -> None:
    op.drop_column("ai_classifications", "language")
