import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Enum, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, UUIDPrimaryKey, utcnow


class DeadLetterStatus(StrEnum):
    pending = "pending"      # waiting for someone to look at it
    replayed = "replayed"    # sent again as a new job (replay_task_id)


class DeadLetter(UUIDPrimaryKey, Base):
    """A job that failed after its last attempt, or at once with a permanent error."""

    __tablename__ = "dead_letters"
    __table_args__ = (Index("ix_dead_letters_status_failed", "status", "last_failed_at"),)

    task_id: Mapped[str] = mapped_column(String(64), unique=True)
    task_name: Mapped[str] = mapped_column(String(200), index=True)
    kwargs: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    error: Mapped[str] = mapped_column(Text)
    error_type: Mapped[str] = mapped_column(String(200))
    traceback: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    first_failed_at: Mapped[datetime]
    last_failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[DeadLetterStatus] = mapped_column(
        Enum(DeadLetterStatus, name="dead_letter_status"), default=DeadLetterStatus.pending)
    replayed_at: Mapped[datetime | None]
    replay_task_id: Mapped[uuid.UUID | None]
