"""Contact interest profiles: what each customer cares about, kept by `ai.refresh_contact_profile`.

- `contact_profiles`: one vector per contact (products they asked about, were quoted or bought,
  and their own words, with recency decay), in the embedding space of product search.
- `contact_product_interests`: the per-product signals behind it, which the recommendation
  reasons quote ("asked about ... on 3 Dec") and co-interest reads (who else has this product).
- `product_popularity`: buyers and interested contacts per product, kept by the same job as
  deltas, the prior for contacts with no history.
- `contact_profile_requests`: "this contact's data changed", one row per change, written in the
  changing transaction; the job consumes them all at once (see profile_signal.py).
"""

import uuid
from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import Float, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.ai.embeddings import DIMENSIONS
from mancrel.core.db import Base, UUIDPrimaryKey, utcnow


class ContactProfile(Base):
    __tablename__ = "contact_profiles"

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    vector: Mapped[Any | None] = mapped_column(Vector(DIMENSIONS))
    products: Mapped[int] = mapped_column(Integer, default=0)
    texts: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactProductInterest(Base):
    __tablename__ = "contact_product_interests"
    __table_args__ = (Index("ix_contact_product_interests_product", "product_id", "last_at"),)

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)  # decayed, as of the last refresh
    asked_count: Mapped[int] = mapped_column(Integer, default=0)
    asked_at: Mapped[datetime | None]
    quoted_at: Mapped[datetime | None]
    bought_count: Mapped[int] = mapped_column(Integer, default=0)
    bought_at: Mapped[datetime | None]
    last_at: Mapped[datetime]


class ProductPopularity(Base):
    __tablename__ = "product_popularity"
    __table_args__ = (Index("ix_product_popularity_score", "score"),)

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    buyers: Mapped[int] = mapped_column(Integer, default=0)
    interested: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float] = mapped_column(Float, default=0.0)


class ProfileRequest(UUIDPrimaryKey, Base):
    __tablename__ = "contact_profile_requests"
    __table_args__ = (Index("ix_contact_profile_requests_contact", "contact_id"),)

    contact_id: Mapped[uuid.UUID] = mapped_column()  # no key: a request may outlive a merged contact
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
