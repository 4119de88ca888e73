"""Teams: who answers which intents, and when they work. A routed message goes to one member."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey, utcnow


class Team(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("name", name="uq_teams_name"),)

    name: Mapped[str] = mapped_column(String(120))
    # {"timezone": "Europe/Berlin", "days": {"mon": [{"start": "09:00", "end": "17:00"}], ...}};
    # null: always working.
    working_hours: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # Who takes the team's work when no member is available (overdue escalations at night).
    manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Round-robin position: the member who was given the last message. Read and moved under the
    # team row's lock, so workers on any machine take turns fairly.
    last_assigned_id: Mapped[uuid.UUID | None] = mapped_column()


class TeamMember(Base):
    __tablename__ = "team_members"

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                                               index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class TeamIntent(Base):
    """An intent belongs to at most one team: the primary key says so in the database."""

    __tablename__ = "team_intents"

    intent: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
