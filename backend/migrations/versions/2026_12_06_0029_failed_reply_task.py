"""a failed reply's task as a column, and when (and by whom) a failed reply was sent again

`messages.follow_up_task_id`: the task a reply's failure opened, so that its success after all (a
person's "Send again", a dead-letter replay) can close it, and so that it can be queried. It was
kept in `headers["follow_up_task_id"]` for a person's own failed reply; the reply step's replies
kept theirs only on the escalation. Both are backfilled here (the escalation's task for a reply whose
suggestion is still `send_failed`), and the header key is removed.

`messages.resent_at` / `resent_by_id`: the latest time a failed reply went back to its send job, and
the person who asked (null: a replay of the send job from the dead letters).

Revision ID: 0029_failed_reply_task
Revises: 0028_product_title_trigram
Create Date: 2026-12-06 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029_failed_reply_task"
down_revision: str | Sequence[str] | None = "0028_product_title_trigram"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("messages", sa.Column("follow_up_task_id", sa.Uuid(), nullable=True))
    op.add_column("messages", sa.Column("resent_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("messages", sa.Column("resent_by_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(op.f("fk_messages_follow_up_task_id_activities"), "messages", "activities",
                          ["follow_up_task_id"], ["id"], ondelete="SET NULL")
    op.create_foreign_key(op.f("fk_messages_resent_by_id_users"), "messages", "users",
                          ["resent_by_id"], ["id"], ondelete="SET NULL")
    # Few rows ever have one: a partial index serves the activities' ON DELETE and the task lookups.
    op.create_index("ix_messages_follow_up_task", "messages", ["follow_up_task_id"],
                    postgresql_where=sa.text("follow_up_task_id IS NOT NULL"))
    op.execute("""
        UPDATE messages m SET follow_up_task_id = a.id, headers = m.headers - 'follow_up_task_id'
        FROM activities a
        WHERE m.headers ? 'follow_up_task_id'
          AND a.id::text = m.headers ->> 'follow_up_task_id'
    """)
    op.execute("UPDATE messages SET headers = headers - 'follow_up_task_id' WHERE headers ? 'follow_up_task_id'")
    op.execute("""
        UPDATE messages m SET follow_up_task_id = e.task_id
        FROM reply_suggestions s JOIN reply_escalations e ON e.suggestion_id = s.id
        WHERE s.sent_message_id = m.id AND s.status = 'send_failed' AND e.task_id IS NOT NULL
          AND m.follow_up_task_id IS NULL
    """)


def downgrade() -> None:
    # Back into the headers: a person's task only (an escalation's task is still found through the escalation).
    op.execute("""
        UPDATE messages m SET headers = m.headers || jsonb_build_object('follow_up_task_id', m.follow_up_task_id::text)
        WHERE m.follow_up_task_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM reply_escalations e WHERE e.task_id = m.follow_up_task_id)
    """)
    op.drop_index("ix_messages_follow_up_task", table_name="messages",
                  postgresql_where=sa.text("follow_up_task_id IS NOT NULL"))
    op.drop_constraint(op.f("fk_messages_resent_by_id_users"), "messages", type_="foreignkey")
    op.drop_constraint(op.f("fk_messages_follow_up_task_id_activities"), "messages", type_="foreignkey")
    op.drop_column("messages", "resent_by_id")
    op.drop_column("messages", "resent_at")
    op.drop_column("messages", "follow_up_task_id")
