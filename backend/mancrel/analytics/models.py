"""Daily rollup tables: the read model behind `/api/v1/analytics`.

Each row sums one UTC day for one owner (`owner_key`: the user's id, or NIL_OWNER for
records nobody owns). A rep's figures are their own rows plus NIL_OWNER's, a manager's all
rows: the owner rule of core/permissions, applied to the key instead of the source records.
The rollup jobs (analytics/rollup*.py) rewrite whole days, so running one twice is harmless.

Each day also has rows under ALL_OWNERS: the sum over every owner, written with the day. A
manager's unfiltered figures read those (one row per day and key instead of one per owner: 40
times fewer over a year at the bench's 40 reps); a rep's, an owner's or a team's read the
per-owner rows, which never include ALL_OWNERS.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Date, Float, Numeric, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base

ALL_OWNERS = uuid.UUID(int=(1 << 128) - 1)  # no user has it: user ids are random (version 4)


class DayKey:
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    owner_key: Mapped[uuid.UUID] = mapped_column(primary_key=True)


class DealDay(DayKey, Base):
    """Deals created (by creation day), won and lost (by closing day), and the won deals' cycle."""

    __tablename__ = "analytics_deal_days"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    created_count: Mapped[int] = mapped_column(BigInteger, default=0)
    won_count: Mapped[int] = mapped_column(BigInteger, default=0)
    won_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0"))
    lost_count: Mapped[int] = mapped_column(BigInteger, default=0)
    # Sum over the won deals of (closed_at - created_at) in days: average cycle = this / won_count.
    won_cycle_days: Mapped[float] = mapped_column(Float, default=0.0)


class StageDay(DayKey, Base):
    """Open deals per stage at the end of the day (today: as of the last refresh)."""

    __tablename__ = "analytics_stage_days"

    stage_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    deal_count: Mapped[int] = mapped_column(BigInteger, default=0)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0"))


class ProductDay(DayKey, Base):
    """Line items of deals won that day, per product (NIL for items whose product is gone)."""

    __tablename__ = "analytics_product_days"

    product_key: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(BigInteger, default=0)
    revenue: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal("0"))


class MessageDay(DayKey, Base):
    """Customer messages (inbound, not junk) per channel kind and intent ('' = not classified)."""

    __tablename__ = "analytics_message_days"

    channel_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    intent: Mapped[str] = mapped_column(String(64), primary_key=True)
    message_count: Mapped[int] = mapped_column(BigInteger, default=0)


class ResponseDay(DayKey, Base):
    """First-response or resolution times ending that day, as a log-bucket histogram
    (analytics/histogram.py): medians and percentiles cannot be added up across days, but
    histograms can."""

    __tablename__ = "analytics_response_days"

    metric: Mapped[str] = mapped_column(String(20), primary_key=True)  # first_response | resolution
    sample_count: Mapped[int] = mapped_column(BigInteger, default=0)
    total_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    buckets: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class AutomationDay(DayKey, Base):
    """Reply suggestions decided that day, per intent and current status."""

    __tablename__ = "analytics_automation_days"

    intent: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    suggestion_count: Mapped[int] = mapped_column(BigInteger, default=0)


class ActivityDay(DayKey, Base):
    """Activities logged per rep (the owner: who logged it) and type, by the day they occurred."""

    __tablename__ = "analytics_activity_days"

    activity_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    activity_count: Mapped[int] = mapped_column(BigInteger, default=0)
    done_count: Mapped[int] = mapped_column(BigInteger, default=0)


class ActivityMonth(Base):
    """ActivityDay summed per calendar month (`month`: its first day). Per-rep figures group by
    owner, so they cannot use ALL_OWNERS; a year of them reads 12 of these rows per rep and type
    instead of 365 (full months from here, the partial ones at the range's ends from the days)."""

    __tablename__ = "analytics_activity_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    owner_key: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    activity_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    activity_count: Mapped[int] = mapped_column(BigInteger, default=0)
    done_count: Mapped[int] = mapped_column(BigInteger, default=0)
