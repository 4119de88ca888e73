"""Products: the one write path (guarded upsert) every sync route uses, and the read API."""

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai.search_index import remove_record
from mancrel.catalog import live
from mancrel.catalog.models import Product
from mancrel.catalog.normalise import NormalisedProduct
from mancrel.catalog.repository import ProductRepository
from mancrel.worker.outbox import enqueue

UPSERT_BATCH = 500


def newest_per_id(products: list[NormalisedProduct]) -> list[NormalisedProduct]:
    # One statement cannot touch a row twice: keep the newest version of each product.
    newest: dict[str, NormalisedProduct] = {}
    for product in products:
        held = newest.get(product.external_id)
        if held is None or held.source_updated_at < product.source_updated_at:
            newest[product.external_id] = product
    return list(newest.values())


async def forget_product(session: AsyncSession, product_id: uuid.UUID) -> None:
    """A deleted product leaves search in the transaction that tombstones it: a customer's search
    or an AI reply must not find it between the deletion and an indexing job."""
    await remove_record(session, entity_type="product", entity_id=product_id)


async def apply_products(session: AsyncSession, *, source_id: uuid.UUID,
                         products: list[NormalisedProduct]) -> dict[str, tuple[uuid.UUID, bool]]:
    """Upsert normalised products with their variants; older versions than those held are
    skipped. Each batch is one guarded statement per kind (repository.UPSERT_LIVE), which
    takes the rows' locks: a concurrent older version waits, then finds itself stale.
    Returns what was written; browsers hear of it after commit (live.py)."""
    repo = ProductRepository(session)
    written: dict[str, tuple[uuid.UUID, bool]] = {}
    unique = newest_per_id(products)
    for start in range(0, len(unique), UPSERT_BATCH):
        batch = unique[start:start + UPSERT_BATCH]
        applied = await repo.upsert(source_id, batch)
        deleted = {p.external_id for p in batch if p.deleted}
        for external_id, (product_id, _) in applied.items():
            if external_id in deleted:
                await forget_product(session, product_id)
            else:
                enqueue(session, "ai.embed_product", product_id=product_id)
        written.update(applied)
    # Only what was written: a stale replay or a duplicate tells no browser anything.
    if written:
        gone = {p.external_id for p in unique if p.deleted}
        live.note_changes(session, updated=[pid for ext, (pid, _) in written.items() if ext not in gone],
                          deleted=[pid for ext, (pid, _) in written.items() if ext in gone])
    return written


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
