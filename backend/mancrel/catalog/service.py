"""Products: the one write path (guarded upsert) every sync route uses, and the read API."""

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog.models import Product
from mancrel.catalog.normalise import NormalisedProduct
from mancrel.catalog.repository import ProductRepository
from mancrel.worker.outbox import enqueue

UPSERT_BATCH = 500


def _newest_per_id(products: list[NormalisedProduct]) -> list[NormalisedProduct]:
    # One statement cannot touch a row twice: keep the newest version of each product.
    newest: dict[str, NormalisedProduct] = {}
    for product in products:
        held = newest.get(product.external_id)
        if held is None or held.source_updated_at < product.source_updated_at:
            newest[product.external_id] = product
    return list(newest.values())


async def apply_products(session: AsyncSession, *, source_id: uuid.UUID,
                         products: list[NormalisedProduct]) -> dict[str, tuple[uuid.UUID, bool]]:
    """Upsert normalised products; older versions than those held are skipped.

    The product upsert is one guarded statement per batch; it takes the rows' locks, so
    a concurrent older version waits and then finds itself stale, and the variant
    writes that follow belong only to the version that won. Returns what was written.
    """
    repo = ProductRepository(session)
    written: dict[str, tuple[uuid.UUID, bool]] = {}
    unique = _newest_per_id(products)
    for start in range(0, len(unique), UPSERT_BATCH):
        batch = unique[start:start + UPSERT_BATCH]
        applied = await repo.upsert(source_id, batch)
        live = [p for p in batch if p.external_id in applied and not p.deleted]
        if live:
            rows = [{"id": uuid.uuid4(), "product_id": applied[p.external_id][0], "external_id": v.external_id,
                     "position": i, "title": v.title, "sku": v.sku, "price": v.price,
                     "compare_at_price": v.compare_at_price, "currency": v.currency, "stock": v.stock,
                     "options": v.options}
                    for p in live for i, v in enumerate(_unique_variants(p))]
            await repo.replace_variants(rows, [applied[p.external_id][0] for p in live])
        for product_id, _ in applied.values():
            enqueue(session, "ai.embed_product", product_id=product_id)
        written.update(applied)
    return written


def _unique_variants(product: NormalisedProduct):
    seen: set[str] = set()
    for variant in product.variants:
        if variant.external_id not in seen:
            seen.add(variant.external_id)
            yield variant


async def get_product(session: AsyncSession, product_id: uuid.UUID, *,
                      include_tombstones: bool = False) -> Product | None:
    """A product with its variants (the catalogue's public read for other domains)."""
    repo = ProductRepository(session)
    return await (repo.get(product_id) if include_tombstones else repo.get_live(product_id))


async def list_products(session: AsyncSession, *, q: str | None = None, sku: str | None = None,
                        in_stock: bool | None = None, min_price: Decimal | None = None,
                        max_price: Decimal | None = None, status: str | None = None,
                        source_id: uuid.UUID | None = None, limit: int = 50,
                        cursor: str | None = None) -> list[Product]:
    return await ProductRepository(session).list_page(
        q=q, sku=sku, in_stock=in_stock, min_price=min_price, max_price=max_price, status=status,
        source_id=source_id, limit=limit, cursor=cursor)
