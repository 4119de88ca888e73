"""The facts a draft may state: products (with variants) and knowledge entries, as plain data.

Providers compose from these, grounding checks drafts against them, and suggestions store
them flattened (`flatten`) for the API and the audit.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from mancrel.catalog.models import Product


@dataclass(frozen=True)
class VariantFact:
    sku: str | None
    title: str | None
    options: dict[str, Any]
    price: Decimal
    currency: str
    stock: int | None
    compare_at_price: Decimal | None = None

    def label(self) -> str:
        parts = [str(v) for v in (self.options or {}).values() if v not in (None, "")] or (
            [self.title] if self.title and self.title.lower() != "default title" else [])
        return ", ".join(parts)


@dataclass(frozen=True)
class ProductFact:
    product_id: uuid.UUID
    title: str
    source_updated_at: datetime
    age_seconds: float          # how far behind its source the data may be
    match: str                  # "sku" | "name" | "loose" | "search": how the customer's words found it
    variants: tuple[VariantFact, ...]

    @property
    def in_stock(self) -> bool:
        return any(v.stock is None or v.stock > 0 for v in self.variants)

    def named_in(self, text: str) -> bool:
        """Whether `text` names this product, by its title or one of its SKUs (case-insensitive)."""
        lowered = text.lower()
        return bool(self.title and self.title.lower() in lowered) or any(
            v.sku and v.sku.lower() in lowered for v in self.variants)


@dataclass(frozen=True)
class KnowledgeFact:
    entry_id: uuid.UUID
    topic: str
    title: str
    body: str
    version: int


@dataclass
class Facts:
    products: list[ProductFact] = field(default_factory=list)
    knowledge: list[KnowledgeFact] = field(default_factory=list)

    def empty(self) -> bool:
        return not self.products and not self.knowledge


def product_fact(product: Product, *, match: str, age_seconds: float) -> ProductFact:
    variants = tuple(VariantFact(sku=v.sku, title=v.title, options=dict(v.options or {}), price=v.price,
                                 currency=v.currency, stock=v.stock, compare_at_price=v.compare_at_price)
                     for v in product.variants)
    return ProductFact(product_id=product.id, title=product.title, source_updated_at=product.source_updated_at,
                       age_seconds=age_seconds, match=match, variants=variants)


def flatten(facts: Facts) -> list[dict[str, Any]]:
    """`[{product_id, sku, field, value, source_updated_at}]`, plus one row per knowledge entry."""
    rows: list[dict[str, Any]] = []
    for p in facts.products:
        when = p.source_updated_at.isoformat()
        rows.append({"product_id": str(p.product_id), "sku": None, "field": "title", "value": p.title,
                     "source_updated_at": when, "match": p.match})
        for v in p.variants:
            rows.append({"product_id": str(p.product_id), "sku": v.sku, "field": "price",
                         "value": f"{v.price} {v.currency}", "source_updated_at": when, "match": p.match})
            rows.append({"product_id": str(p.product_id), "sku": v.sku, "field": "stock",
                         "value": v.stock, "source_updated_at": when, "match": p.match})
    for k in facts.knowledge:
        rows.append({"knowledge_id": str(k.entry_id), "field": k.topic, "value": k.body, "version": k.version})
    return rows


def product_ids(rows: list[dict[str, Any]]) -> list[uuid.UUID]:
    return list(dict.fromkeys(uuid.UUID(r["product_id"]) for r in rows if r.get("product_id")))


def knowledge_ids(rows: list[dict[str, Any]]) -> list[uuid.UUID]:
    return list(dict.fromkeys(uuid.UUID(r["knowledge_id"]) for r in rows if r.get("knowledge_id")))
