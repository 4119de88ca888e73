"""The catalogue read that AI replies draft from: products a customer names in their own words
(exact SKU, or a product title the text contains), products by id as synced now, and how far
behind its source a product's data may be. Live products only: a tombstone is never quoted.
Looser mentions (parts of a title, typing errors) are catalog/mentions.py's, built on these."""

import re
import uuid
from collections.abc import Sequence

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from mancrel.catalog.freshness import freshness_lag
from mancrel.catalog.models import CatalogSource, Product, ProductStatus, ProductVariant

# Words that could be a SKU: letters and digits, with at least one digit or separator.
_SKU_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{2,63}")
MIN_TITLE_LENGTH = 4  # "Cap" inside "escape" is not a product named


def sku_candidates(text: str) -> list[str]:
    return sorted({t.strip("._/-").lower() for t in _SKU_TOKEN.findall(text or "")
                   if any(c.isdigit() for c in t) or "-" in t})


def live():
    """A product a customer can be told about: not deleted upstream, not archived or a draft."""
    return (Product.deleted_at.is_(None), Product.status == ProductStatus.active)


async def products_by_skus(session: AsyncSession, skus: Sequence[str]) -> list[Product]:
    if not skus:
        return []
    ids = select(ProductVariant.product_id).where(func.lower(ProductVariant.sku).in_(list(skus)))
    return list(await session.scalars(select(Product).options(selectinload(Product.variants))
                                      .where(Product.id.in_(ids), *live()).order_by(Product.title)))


async def products_named_in(session: AsyncSession, text: str, *, limit: int = 5) -> list[Product]:
    """Products whose whole title appears in `text` (case-insensitive), longest title first:
    "Merino Hiking Socks" wins over "Socks" when the customer wrote the full name."""
    if not text:
        return []
    haystack = literal(text.lower())
    title = func.lower(Product.title)
    stmt = (select(Product).options(selectinload(Product.variants))
            .where(*live(), func.length(Product.title) >= MIN_TITLE_LENGTH,
                   func.strpos(haystack, title) > 0)
            .order_by(func.length(Product.title).desc(), Product.id).limit(limit))
    return list(await session.scalars(stmt))


async def products_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Product]:
    if not ids:
        return []
    return list(await session.scalars(select(Product).options(selectinload(Product.variants))
                                      .where(Product.id.in_(list(ids)), *live())))


async def data_age_seconds(session: AsyncSession, product: Product) -> float:
    """How far behind its source the product's data may be: its source's lag (freshness.py), which
    counts changes we know we lack, not the time since the shop last changed the product."""
    source = await session.get(CatalogSource, product.source_id)
    return await freshness_lag(session, source) if source is not None else 0.0
