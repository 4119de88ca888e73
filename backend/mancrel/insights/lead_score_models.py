"""Tables of lead scores, churn alerts and opportunities (issue #21, points 4-6).

Each row points at a contact; who may see it follows that contact's owner (the contacts'
rule in core/permissions), applied by joining the contact in every list query.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, UUIDPrimaryKey, utcnow


class LeadScore(Base):
    """A contact's current chance to win a deal within 90 days, 0-100, with the reasons behind it.
    `previous_score` is the score before the last change: the trend a rep sees."""

    __tablename__ = "lead_scores"
    # The hottest first, in the list's exact order (score, then contact id, both descending): a
    # page is an index range scan, with no sort of a whole score's ties.
    __table_args__ = (Index("ix_lead_scores_hottest", text("score DESC"), text("contact_id DESC")),)

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    probability: Mapped[float] = mapped_column(Float)
    previous_score: Mapped[int | None] = mapped_column(Integer)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    features: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    model_version: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)  # when the score last moved


class LeadScoreModel(UUIDPrimaryKey, Base):
    """One fitted lead-score model: coefficients by feature name, the reference values reasons are
    measured from, and how it was trained (rows, positives, held-out figures)."""

    __tablename__ = "lead_score_models"
    __table_args__ = (Index("uq_lead_score_models_version", "version", unique=True),)

    version: Mapped[int] = mapped_column(Integer)
    coefficients: Mapped[dict[str, float]] = mapped_column(JSONB)
    reference: Mapped[dict[str, float]] = mapped_column(JSONB)
    vocabulary: Mapped[dict[str, list[str]]] = mapped_column(JSONB, default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    trained_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChurnAlert(UUIDPrimaryKey, Base):
    """A customer at risk, raised once per episode: `(contact_id, kind, episode)` is unique, so the
    nightly job can run any number of times without raising the same episode twice."""

    __tablename__ = "churn_alerts"
    __table_args__ = (
        UniqueConstraint("contact_id", "kind", "episode", name="uq_churn_alerts_episode"),
        Index("ix_churn_alerts_open", "raised_at", postgresql_where=text("resolved_at IS NULL")),
    )

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # silence | negative | open_issue
    episode: Mapped[str] = mapped_column(String(100))
    severity: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSONB, default=list)
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]


class Opportunity(UUIDPrimaryKey, Base):
    """Something a rep could sell now. `(contact_id, kind, key)` is unique and a dismissed row is
    kept, so a dismissed opportunity is never raised again."""

    __tablename__ = "opportunities"
    __table_args__ = (
        UniqueConstraint("contact_id", "kind", "key", name="uq_opportunities_key"),
        Index("ix_opportunities_open", "status", "created_at"),
    )

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # intent_no_deal | back_in_stock | repeat_purchase | upsell
    key: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    reasons: Mapped[list[str]] = mapped_column(JSONB, default=list)
    value: Mapped[float | None] = mapped_column(Float)  # an estimate for sorting, in `currency`
    currency: Mapped[str | None] = mapped_column(String(3))  # ISO 4217; null for a row written before it
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    message_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    deal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("deals.id", ondelete="SET NULL"))
    due_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | dismissed | converted | expired
    note: Mapped[str | None] = mapped_column(Text)
    acted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
