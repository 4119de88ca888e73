"""search documents know the record a hit opens in (a message opens its conversation)

Global search (Ctrl-K in the web app) finds companies, deals and customer messages besides
products and contacts. A message hit is shown inside its conversation, and search checks the
conversation's visibility at query time, so the document keeps the conversation's id.

Revision ID: 0024_search_parent
Revises: 0022_teams
Create Date: 2026-12-05 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_search_parent"
down_revision: str | Sequence[str] | None = "0022_teams"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("search_documents", sa.Column("parent_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    op.drop_column("search_documents", "parent_id")
