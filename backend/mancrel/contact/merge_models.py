import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, UUIDPrimaryKey, utcnow


class ContactMerge(UUIDPrimaryKey, Base):
    """What a merge changed, kept so that `undo` can put every piece back."""

    __tablename__ = "contact_merges"

    primary_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    merged_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    # The primary's fields before the merge, restored on undo.
    primary_before: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # {"deals": [ids], "activities": [ids]}: rows moved from the merged contact to the primary.
    moved: Mapped[dict[str, list[str]]] = mapped_column(JSONB, default=dict)
    merged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
