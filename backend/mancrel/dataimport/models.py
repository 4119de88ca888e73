import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey


class ImportStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class ImportJob(UUIDPrimaryKey, Timestamps, Base):
    """One uploaded CSV: its mapping, the file itself, and how far the job got."""

    __tablename__ = "imports"
    __table_args__ = (Index("ix_imports_unfinished_updated_at", "updated_at",
                            postgresql_where=text("status IN ('queued', 'running')")),)

    object_type: Mapped[str] = mapped_column(String(30))
    status: Mapped[ImportStatus] = mapped_column(Enum(ImportStatus, name="import_status"),
                                                 default=ImportStatus.queued)
    filename: Mapped[str] = mapped_column(String(255), default="")
    # CSV column -> record field.
    mapping: Mapped[dict[str, str]] = mapped_column(JSONB)
    # Stored in the row so any worker process can read it; imports are capped in size.
    content: Mapped[str] = mapped_column(Text)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default=text("'[]'::jsonb"))
    failure: Mapped[str | None] = mapped_column(Text)
    # Restarts by the sweeper since the last committed chunk (dataimport/sweeper.py).
    resumes: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                            index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
