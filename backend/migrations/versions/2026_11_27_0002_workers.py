"""workers: dead letters, completed task ids

Revision ID: 0002_workers
Revises: 0001_platform
Create Date: 2026-11-27 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_workers"
down_revision: str | Sequence[str] | None = "0001_platform"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dead_letters",
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("task_name", sa.String(length=200), nullable=False),
        sa.Column("kwargs", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("error_type", sa.String(length=200), nullable=False),
        sa.Column("traceback", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Enum("pending", "replayed", name="dead_letter_status"), nullable=False),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replay_task_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
        sa.UniqueConstraint("task_id", name=op.f("uq_dead_letters_task_id")),
    )
    op.create_index("ix_dead_letters_status_failed", "dead_letters", ["status", "last_failed_at"])
    op.create_index(op.f("ix_dead_letters_task_name"), "dead_letters", ["task_name"])
    op.create_table(
        "task_completions",
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("task_name", sa.String(length=200), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_task_completions")),
    )
    op.create_index(op.f("ix_task_completions_completed_at"), "task_completions", ["completed_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_task_completions_completed_at"), table_name="task_completions")
    op.drop_table("task_completions")
    op.drop_index(op.f("ix_dead_letters_task_name"), table_name="dead_letters")
    op.drop_index("ix_dead_letters_status_failed", table_name="dead_letters")
    op.drop_table("dead_letters")
    sa.Enum(name="dead_letter_status").drop(op.get_bind(), checkfirst=True)
