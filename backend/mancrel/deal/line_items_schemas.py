import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mancrel.core.types import Text
from mancrel.deal.schemas import Amount, Currency, Money

Quantity = Annotated[int, Field(ge=1, le=1_000_000)]
Discount = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2,
                                    description="Percent off the line, 0 to 100 (e.g. \"10\" for 10%).")]


def _upper(value: str | None) -> str | None:
    return value.upper() if value else value


class LineItemCreate(BaseModel):
    """A product (or one of its variants) on a deal. Title, SKU and price default to the
    catalogue's as synced now; the currency must be the deal's."""

    product_id: uuid.UUID | None = Field(default=None, description="A catalogue product; or give a title.")
    variant_id: uuid.UUID | None = Field(default=None, description="The product's first variant if omitted.")
    title: Text | None = Field(default=None, min_length=1, max_length=500)
    sku: Text | None = Field(default=None, max_length=200)
    quantity: Quantity = 1
    unit_price: Money | None = Field(default=None, description="The variant's price if omitted.")
    discount_percent: Discount = Decimal("0")
    currency: Currency | None = Field(default=None, description="The deal's currency if omitted.")

    _currency = field_validator("currency", mode="after")(_upper)


class LineItemUpdate(BaseModel):
    title: Text | None = Field(default=None, min_length=1, max_length=500)
    sku: Text | None = Field(default=None, max_length=200)
    quantity: Quantity | None = None
    unit_price: Money | None = None
    discount_percent: Discount | None = None


class LineItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    deal_id: uuid.UUID
    product_id: uuid.UUID | None
    variant_id: uuid.UUID | None
    sku: str | None
    title: str
    quantity: int
    unit_price: Amount
    discount_percent: Decimal
    currency: str
    line_total: Amount
    position: int
    created_at: datetime
    updated_at: datetime


class LineItemList(BaseModel):
    items: list[LineItemRead]
    total: Amount = Field(description="Sum of the line totals, in the deal's currency.")
    currency: str
    amount_from_line_items: bool = Field(description="Whether this total is the deal's amount.")
