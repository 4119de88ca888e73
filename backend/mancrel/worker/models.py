from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, UUIDPrimaryKey, utcnow


class OutboxMessage(UUIDPrimaryKey, Base):
    """A job written in the same transaction as the change that calls for it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_unpublished", "created_at", postgresql_where=text("published_at IS NULL")),
    )

    task_name: Mapped[str] = mapped_column(String(200))
    kwargs: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    publish_attempts: Mapped[int] = mapped_column(default=0)


class TaskCompletion(Base):
    """A job that committed its effects, written in the job's own transaction.

    A job redelivered after it committed (worker killed before the ack) finds its id
    here and is skipped, so its effects happen once. Pruned by system/retention.py.
    """

    __tablename__ = "task_completions"

    task_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    task_name: Mapped[str] = mapped_column(String(200))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
