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
