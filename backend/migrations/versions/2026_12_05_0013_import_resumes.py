"""imports.resumes: how often the sweeper restarted an import that stopped making progress

An import whose worker died resumes from `processed_rows` (dataimport/sweeper.py); after a
few resumes in a row without progress it fails with its reason instead of staying `running`.

Revision ID: 0013_import_resumes
Revises: 0012_inbox
Create Date: 2026-12-05 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_import_resumes"
down_revision: str | Sequence[str] | None = "0012_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("imports", sa.Column("resumes", sa.Integer(), nullable=False, server_default="0"))
    # The sweeper's question: which unfinished imports have not moved lately.
    op.create_index("ix_imports_unfinished_updated_at", "imports", ["updated_at"],
                    postgresql_where=sa.text("status IN ('queued', 'running')"))


def downgrade() -> None:
    op.drop_index("ix_imports_unfinished_updated_at", table_name="imports")
    op.drop_column("imports", "resumes")
