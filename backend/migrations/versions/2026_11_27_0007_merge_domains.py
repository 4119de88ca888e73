"""merge the domain branches into one head

Each domain was built as its own branch off 0001_platform; from here on there is one
line of migrations again.

Revision ID: 0007_merge_domains
Revises: 0002_workers, 0004_pipeline, 0005_catalog, 0006_ai
Create Date: 2026-11-27 19:15:00
"""

from collections.abc import Sequence

revision: str = "0007_merge_domains"
# 0003_contacts is not listed: 0004_pipeline depends on it, so it is already an ancestor.
down_revision: str | Sequence[str] | None = ("0002_workers", "0004_pipeline", "0005_catalog", "0006_ai")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
