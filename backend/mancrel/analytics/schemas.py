import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel


class Range(BaseModel):
    from_day: date
    to_day: date


class Money(BaseModel):
    currency: str
    amount: Decimal


class StageValue(BaseModel):
    """Open deals in a stage at the end of `to_day`, and the change since the end of the day
    before `from_day`."""
    pipeline_id: uuid.UUID
    pipeline_name: str
    stage_id: uuid.UUID
    stage_name: str
    position: int
    currency: str
    deal_count: int
    amount: Decimal
    deal_count_change: int
    amount_change: Decimal


class PipelineAnalyticsRead(Range):
    stages: list[StageValue]


class MonthWon(BaseModel):
    month: str  # YYYY-MM
    won: int
    amounts: list[Money]


class DealsRead(Range):
    created: int
    won: int
    lost: int
    win_rate: float | None  # won / (won + lost) among deals closed in the range
    average_cycle_days: float | None  # creation to win, over the deals won in the range
    won_amounts: list[Money]
    months: list[MonthWon]


class ProductRevenue(BaseModel):
    product_id: uuid.UUID | None  # null: the product was deleted from the catalogue
    title: str
    currency: str
    quantity: int
    revenue: Decimal


class ProductRevenueRead(Range):
    items: list[ProductRevenue]


class MessageCount(BaseModel):
    day: date  # the first day of the period (a Monday for weeks)
    channel: str
    intent: str | None  # null: not classified
    count: int


class MessagesRead(Range):
    interval: Literal["day", "week", "month"]
    total: int
    by_channel: dict[str, int]
    by_intent: dict[str, int]  # "unclassified" for messages without an intent
    days: list[MessageCount]


class Durations(BaseModel):
    count: int
    median_seconds: float | None
    p90_seconds: float | None
    mean_seconds: float | None


class ResponseTimesRead(Range):
    first_response: Durations
    resolution: Durations


class Funnel(BaseModel):
    decided: int
    auto_sent: int
    approved: int
    edited: int
    rejected: int
    escalated: int
    pending: int
    shadow: int
    ignored: int
    # Sent (automatically or approved), then refused or bounced: the reply never reached the customer
    # and a person has it now. One that went out after all reads sent / approved / edited again.
    send_failed: int
    reviewed: int  # approved + edited + rejected
    precision: float | None  # (approved + edited) / reviewed, as reply/calibration.py counts it


class IntentFunnel(Funnel):
    intent: str


class AutomationRead(Range, Funnel):
    intents: list[IntentFunnel]


class RepActivity(BaseModel):
    owner_id: uuid.UUID | None  # null: activities nobody owns
    name: str | None
    total: int
    done: int
    by_type: dict[str, int]


class ActivityAnalyticsRead(Range):
    reps: list[RepActivity]
