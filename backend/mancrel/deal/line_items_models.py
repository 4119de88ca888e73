"""Deal line items: which products a deal sells, at what price. Won deals' items are the
customer's purchase history (insights read them for recommendations)."""

import uuid
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey


class DealLineItem(UUIDPrimaryKey, Timestamps, Base):
    """One product (or variant) on a deal. `sku` and `title` are copied when the item is added,
    so the deal keeps reading as it was sold after the catalogue changes or drops the product.

    The discount is a percentage of the line (0 to 100), chosen over an amount because it
    stays right when the quantity changes. `line_total` = quantity x unit price x
    (1 - discount / 100), rounded half up to the cent, in the deal's currency.
    """

    __tablename__ = "deal_line_items"
    __table_args__ = (
        Index("ix_deal_line_items_deal", "deal_id", "position"),
        Index("ix_deal_line_items_product", "product_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("discount_percent >= 0 AND discount_percent <= 100", name="discount_range"),
    )

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"))
    variant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("product_variants.id", ondelete="SET NULL"))
    sku: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3))
    line_total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    position: Mapped[int] = mapped_column(Integer, default=0)
