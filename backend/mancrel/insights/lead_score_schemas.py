"""API shapes of lead scores, churn alerts, opportunities and the Today digest."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ContactBrief(BaseModel):
    id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None
    company_id: uuid.UUID | None


class Reason(BaseModel):
    feature: str
    points: float = Field(description="How many score points this signal adds (or takes away) against a typical "
                                      "contact.")
    text: str


class LeadRead(BaseModel):
    contact: ContactBrief
    score: int = Field(ge=0, le=100, description="Chance in percent to win a deal within 90 days.")
    previous_score: int | None
    trend: int = Field(description="score - previous_score (0 when it never moved).")
    reasons: list[Reason]
    deal_amount: float | None = Field(default=None, description="The amount of the open deal the score weighs (the "
                                                                "likeliest one); null without one.")
    deal_currency: str | None = Field(default=None, description="ISO 4217 code of `deal_amount`: the deal's currency.")
    model_version: int
    computed_at: datetime


class LeadPage(BaseModel):
    items: list[LeadRead]
    next_cursor: str | None


class ChurnAlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    contact: ContactBrief
    kind: str = Field(description="silence | negative | open_issue")
    severity: float
    reasons: list[str]
    task_id: uuid.UUID | None
    raised_at: datetime


class ChurnPage(BaseModel):
    items: list[ChurnAlertRead]
    next_cursor: str | None


class OpportunityRead(BaseModel):
    id: uuid.UUID
    contact: ContactBrief
    kind: str = Field(description="intent_no_deal | back_in_stock | repeat_purchase | upsell")
    title: str
    reasons: list[str]
    value: float | None = Field(description="An estimate of what it is worth: the price asked about, the usual "
                                            "order, the product's price.")
    currency: str | None = Field(description="ISO 4217 code of `value` (the deal's, line items' or product's "
                                             "currency, else the shop's default); null when `value` is null.")
    product_id: uuid.UUID | None
    message_id: uuid.UUID | None
    deal_id: uuid.UUID | None
    due_at: datetime | None
    status: str
    created_at: datetime


class OpportunityPage(BaseModel):
    items: list[OpportunityRead]
    next_cursor: str | None


class TaskBrief(BaseModel):
    id: uuid.UUID
    subject: str
    due_at: datetime | None
    contact_id: uuid.UUID | None
    escalation: bool = Field(description="Raised by the AI reply step for a customer waiting on a person.")
    conversation_id: uuid.UUID | None = Field(
        default=None, description="Tasks an escalation or a failed reply opened: the conversation they are about.")


class TodayRead(BaseModel):
    leads: list[LeadRead]
    churn: list[ChurnAlertRead]
    opportunities: list[OpportunityRead]
    overdue_escalations: list[TaskBrief]
    overdue_tasks: list[TaskBrief]
