import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey
from mancrel.core.permissions import OwnedMixin
from mancrel.core.records import SoftDeleteMixin, VersionedMixin


class ActivityType(StrEnum):
    note = "note"
    call = "call"
    email = "email"
    meeting = "meeting"
    task = "task"


class Activity(UUIDPrimaryKey, Timestamps, OwnedMixin, SoftDeleteMixin, VersionedMixin, Base):
    """A note, call, email, meeting or task, on a contact, company and/or deal.

    `owner_id` is who logged it; `assignee_id` who must do it. Both see it (see repository).
    """

    __tablename__ = "activities"
    __table_args__ = (
        # Timelines: one record's activities newest first.
        Index("ix_activities_contact_timeline", "contact_id", "occurred_at", "id",
              postgresql_where=text("contact_id IS NOT NULL AND deleted_at IS NULL")),
        Index("ix_activities_company_timeline", "company_id", "occurred_at", "id",
              postgresql_where=text("company_id IS NOT NULL AND deleted_at IS NULL")),
        Index("ix_activities_deal_timeline", "deal_id", "occurred_at", "id",
              postgresql_where=text("deal_id IS NOT NULL AND deleted_at IS NULL")),
        # "My tasks": open tasks of one assignee by due time.
        Index("ix_activities_open_tasks", "assignee_id", "due_at",
              postgresql_where=text("done_at IS NULL AND deleted_at IS NULL")),
        Index("ix_activities_list", "created_at", "id", postgresql_where=text("deleted_at IS NULL")),
        # The analytics rollups read a day of activities, and what changed lately (migration 0025).
        Index("ix_activities_occurred_at", "occurred_at", postgresql_where=text("deleted_at IS NULL")),
        Index("ix_activities_updated_at", "updated_at"),
    )

    type: Mapped[ActivityType] = mapped_column(Enum(ActivityType, name="activity_type"))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    # When it happened (or is planned): where it sits on a timeline.
    occurred_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    due_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    company_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"))
    deal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("deals.id", ondelete="SET NULL"))
