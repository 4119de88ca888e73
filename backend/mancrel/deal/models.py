import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, Enum, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey, utcnow
from mancrel.core.permissions import OwnedMixin
from mancrel.core.records import SoftDeleteMixin, VersionedMixin


class DealStatus(StrEnum):
    open = "open"
    won = "won"
    lost = "lost"


class Deal(UUIDPrimaryKey, Timestamps, OwnedMixin, SoftDeleteMixin, VersionedMixin, Base):
    __tablename__ = "deals"
    __table_args__ = (
        # The board: cards of one stage in rank order, and keyset pages over them.
        Index("ix_deals_board", "stage_id", "rank", "id", postgresql_where=text("deleted_at IS NULL")),
        Index("ix_deals_list", "created_at", "id", postgresql_where=text("deleted_at IS NULL")),
        # The analytics rollups read a day of closed deals, and what changed lately (migration 0025).
        Index("ix_deals_closed_at", "closed_at", postgresql_where=text("deleted_at IS NULL")),
        Index("ix_deals_updated_at", "updated_at"),
        Index("ix_deals_title_trgm", "title", postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops"}),
        # One deal per record of an outside source (a Meta lead), deleted deals included.
        Index("uq_deals_source_ref", "source", "source_ref", unique=True,
              postgresql_where=text("source_ref IS NOT NULL")),
    )

    title: Mapped[str] = mapped_column(String(300))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    company_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"), index=True)
    pipeline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pipelines.id", ondelete="RESTRICT"), index=True)
    stage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pipeline_stages.id", ondelete="RESTRICT"))
    # Board order within the stage: gaps between ranks let a move write one row (see deal/ranking.py).
    rank: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # When set, the amount is the sum of the line items (deal/line_items_service.py), not typed in.
    amount_from_line_items: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    expected_close_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[DealStatus] = mapped_column(Enum(DealStatus, name="deal_status"), default=DealStatus.open)
    lost_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))
    # Where a deal made by the system came from ("lead_ads"), the source's id for the record
    # (Meta's leadgen id) and what the source said about it (form, ad, campaign ids).
    source: Mapped[str | None] = mapped_column(String(40))
    source_ref: Mapped[str | None] = mapped_column(String(200))
    source_details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))


class DealStageChange(UUIDPrimaryKey, Base):
    """Who moved a deal from which stage to which, and when: the deal's stage history."""

    __tablename__ = "deal_stage_changes"
    __table_args__ = (Index("ix_deal_stage_changes_deal_timeline", "deal_id", "changed_at", "id"),)

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    from_stage_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pipeline_stages.id", ondelete="SET NULL"))
    to_stage_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pipeline_stages.id", ondelete="SET NULL"))
    from_status: Mapped[DealStatus | None] = mapped_column(Enum(DealStatus, name="deal_status"))
    to_status: Mapped[DealStatus] = mapped_column(Enum(DealStatus, name="deal_status"))
    changed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class DealStageTotal(Base):
    """Open count and amount per (stage, owner, currency), kept by a trigger on `deals`.

    The board's per-stage totals read these few rows instead of aggregating every deal in a
    pipeline (300,000 in the benchmark); a rep's totals are their own rows plus the
    unassigned ones. `owner_key` is the owner's id, or NIL_OWNER for unassigned deals.
    """

    __tablename__ = "deal_stage_totals"

    stage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pipeline_stages.id", ondelete="CASCADE"),
                                                primary_key=True)
    owner_key: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    deal_count: Mapped[int] = mapped_column(BigInteger, default=0)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0"))


NIL_OWNER = uuid.UUID(int=0)
