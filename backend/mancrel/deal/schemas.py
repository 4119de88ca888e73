import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from mancrel.core.config import get_settings
from mancrel.core.types import NonNegativeInt32, Text, UtcDateTime
from mancrel.deal.models import DealStatus

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2,
                                 description="A decimal string, e.g. \"1250.00\".")]
# Read side: always two decimals, so "13000" comes back as "13000.00".
Amount = Annotated[Decimal, AfterValidator(lambda v: v.quantize(Decimal("0.01")))]
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code, e.g. EUR.")]


def _upper(value: str | None) -> str | None:
    return value.upper() if value else value


class DealCreate(BaseModel):
    title: Text = Field(min_length=1, max_length=300)
    contact_id: uuid.UUID | None = None
    company_id: uuid.UUID | None = None
    pipeline_id: uuid.UUID | None = Field(default=None, description="The default pipeline if omitted.")
    stage_id: uuid.UUID | None = Field(default=None, description="The pipeline's first stage if omitted.")
    amount: Money = Decimal("0")
    currency: Currency = Field(default_factory=lambda: get_settings().default_currency,
                               description="The shop's currency (MANCREL_DEFAULT_CURRENCY) if omitted.")
    amount_from_line_items: bool = Field(default=False, description="The amount is the line items' total.")
    expected_close_date: date | None = None
    owner_id: uuid.UUID | None = Field(default=None, description="The caller if omitted.")
    custom_fields: dict[Text, Any] = Field(default_factory=dict)

    _currency = field_validator("currency", mode="after")(_upper)


class DealUpdate(BaseModel):
    """Stage and status change through move / won / lost, so their history is recorded."""

    title: Text | None = Field(default=None, min_length=1, max_length=300)
    contact_id: uuid.UUID | None = None
    company_id: uuid.UUID | None = None
    amount: Money | None = None
    currency: Currency | None = None
    amount_from_line_items: bool | None = Field(default=None, description="The amount is the line items' total.")
    expected_close_date: date | None = None
    owner_id: uuid.UUID | None = None
    custom_fields: dict[Text, Any] | None = None

    _currency = field_validator("currency", mode="after")(_upper)


class DealMove(BaseModel):
    stage_id: uuid.UUID
    position: NonNegativeInt32 | None = Field(default=None,
                                 description="0-based index among the stage's cards you see; last if omitted.")


class DealLost(BaseModel):
    reason: Text = Field(min_length=1, max_length=2000)


class DealRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    contact_id: uuid.UUID | None
    company_id: uuid.UUID | None
    pipeline_id: uuid.UUID
    stage_id: uuid.UUID
    amount: Amount
    currency: str
    amount_from_line_items: bool
    expected_close_date: date | None
    owner_id: uuid.UUID | None
    status: DealStatus
    lost_reason: str | None
    closed_at: datetime | None
    stage_changed_at: datetime
    custom_fields: dict[str, Any]
    source: str | None = Field(default=None, description="Where the system got the deal, e.g. lead_ads.")
    source_details: dict[str, Any] = Field(default_factory=dict,
                                           description="The source's ids for it (Meta: leadgen, form, ad, campaign).")
    version: int
    deleted_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DealPage(BaseModel):
    items: list[DealRead]
    next_cursor: str | None = None


class StageChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    deal_id: uuid.UUID
    from_stage_id: uuid.UUID | None
    to_stage_id: uuid.UUID | None
    from_status: DealStatus | None
    to_status: DealStatus
    changed_by_id: uuid.UUID | None
    changed_at: datetime
    deal_title: str | None = Field(default=None, description="The deal that moved (filled on contact and company "
                                                               "timelines, where several deals meet).")


class CardRead(BaseModel):
    """A deal as the board shows it."""

    id: uuid.UUID
    title: str
    amount: Amount
    currency: str
    status: DealStatus
    expected_close_date: date | None
    contact_id: uuid.UUID | None
    contact_name: str | None
    company_id: uuid.UUID | None
    company_name: str | None
    owner_id: uuid.UUID | None
    owner_name: str | None
    version: int


class CurrencyTotal(BaseModel):
    currency: str
    amount: Amount


class BoardStageRead(BaseModel):
    id: uuid.UUID
    name: str
    position: int
    probability: int
    kind: str
    count: int
    totals: list[CurrencyTotal]
    cards: list[CardRead]
    next_cursor: str | None = None


class BoardRead(BaseModel):
    pipeline_id: uuid.UUID
    name: str
    stages: list[BoardStageRead]


class DealFilters(BaseModel):
    """List and export filters (query parameters); all optional and combined with AND."""

    q: Text | None = Field(default=None, max_length=200, description="Search in deal titles.")
    owner_id: uuid.UUID | None = None
    unassigned: bool | None = Field(default=None, description="Only deals without an owner.")
    pipeline_id: uuid.UUID | None = None
    stage_id: uuid.UUID | None = None
    status: DealStatus | None = None
    contact_id: uuid.UUID | None = None
    company_id: uuid.UUID | None = None
    created_after: UtcDateTime | None = None
    created_before: UtcDateTime | None = None
    updated_after: UtcDateTime | None = None
    updated_before: UtcDateTime | None = None
    deleted: bool = Field(default=False, description="List soft-deleted deals instead (managers and admins).")
    sort: Text = Field(default="-created_at", max_length=50,
                      description="created_at, updated_at, amount or title; '-' for descending.")
