"""Meta channels: WhatsApp delivery and read times on messages, the Graph API's token errors on channels

Revision ID: 0017_meta
Revises: 0016_replies
Create Date: 2026-12-05 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017_meta'
down_revision: str | Sequence[str] | None = '0016_replies'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable columns without defaults: no table rewrite, instant on a large messages table.
    op.add_column('messages', sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('messages', sa.Column('read_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('channels', sa.Column('token_error', sa.Text(), nullable=True))
    op.add_column('channels', sa.Column('token_error_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('channels', 'token_error_at')
    op.drop_column('channels', 'token_error')
    op.drop_column('messages', 'read_at')
    op.drop_column('messages', 'delivered_at')
