import uuid
from decimal import Decimal

from pydantic import BaseModel, Field


class RecommendedProduct(BaseModel):
    id: uuid.UUID
    title: str
    sku: str | None
    price: Decimal | None = Field(description="The first in-stock variant's price, as synced now.")
    currency: str | None
    stock: int | None = Field(description="Units over all variants; null when the shop does not track stock.")


class RecommendationRead(BaseModel):
    product: RecommendedProduct
    score: float = Field(description="Higher is a better fit; comparable within one response.")
    reasons: list[str] = Field(description="Why, in words a rep can repeat to the customer.")


class RecommendationList(BaseModel):
    items: list[RecommendationRead]
