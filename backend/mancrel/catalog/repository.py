"""Every catalogue query: sources, events, products, and the guarded bulk upsert."""

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, delete, exists, func, literal_column, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from mancrel.catalog.models import CatalogEvent, CatalogSource, EventStatus, Product, ProductVariant
from mancrel.catalog.normalise import NormalisedProduct
from mancrel.core.pagination import after, decode_cursor


class SourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, source_id: uuid.UUID) -> CatalogSource | None:
        return await self.session.get(CatalogSource, source_id)

    async def get_for_update(self, source_id: uuid.UUID) -> CatalogSource | None:
        return await self.session.scalar(
            select(CatalogSource).where(CatalogSource.id == source_id).with_for_update()
            .execution_options(populate_existing=True))

    async def get_by_name(self, name: str) -> CatalogSource | None:
        return await self.session.scalar(select(CatalogSource).where(CatalogSource.name == name))

    async def list_page(self, *, limit: int, cursor: str | None) -> list[CatalogSource]:
        stmt = select(CatalogSource).order_by(CatalogSource.name, CatalogSource.id).limit(limit + 1)
        if cursor:
            values = decode_cursor(cursor, (str, uuid.UUID))
            stmt = stmt.where(after((CatalogSource.name, CatalogSource.id), values))
        return list(await self.session.scalars(stmt))

    async def list_all(self) -> list[CatalogSource]:
        return list(await self.session.scalars(select(CatalogSource).order_by(CatalogSource.name)))

    async def due_for_poll(self, now: datetime) -> list[CatalogSource]:
        stmt = (select(CatalogSource)
                .where(CatalogSource.enabled, CatalogSource.poll_url.is_not(None),
                       or_(CatalogSource.next_poll_at.is_(None), CatalogSource.next_poll_at <= now))
                .with_for_update(skip_locked=True))
        return list(await self.session.scalars(stmt))

    async def due_for_reconcile(self, before: datetime) -> list[CatalogSource]:
        stmt = (select(CatalogSource)
                .where(CatalogSource.enabled, CatalogSource.poll_url.is_not(None),
                       or_(CatalogSource.last_reconciled_at.is_(None), CatalogSource.last_reconciled_at <= before))
                .with_for_update(skip_locked=True))
        return list(await self.session.scalars(stmt))


class EventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_new(self, values: dict) -> uuid.UUID | None:
        """Store a delivery unless (source, delivery id) is already there; its id when new."""
        stmt = (insert(CatalogEvent).values(**values)
                .on_conflict_do_nothing(index_elements=["source_id", "delivery_id"])
                .returning(CatalogEvent.id))
        return await self.session.scalar(stmt)

    async def get_for_update(self, event_id: uuid.UUID) -> CatalogEvent | None:
        return await self.session.scalar(select(CatalogEvent).where(CatalogEvent.id == event_id)
                                         .with_for_update().execution_options(populate_existing=True))

    async def list_page(self, source_id: uuid.UUID, *, status: str | None, limit: int,
                        cursor: str | None) -> list[CatalogEvent]:
        stmt = (select(CatalogEvent).where(CatalogEvent.source_id == source_id)
                .order_by(CatalogEvent.received_at.desc(), CatalogEvent.id.desc()).limit(limit + 1))
        if status:
            stmt = stmt.where(CatalogEvent.status == status)
        if cursor:
            values = decode_cursor(cursor, (datetime.fromisoformat, uuid.UUID))
            stmt = stmt.where(after((CatalogEvent.received_at, CatalogEvent.id), values, descending=True))
        return list(await self.session.scalars(stmt))

    async def counts_since(self, source_id: uuid.UUID, since: datetime) -> dict[str, int]:
        rows = await self.session.execute(
            select(CatalogEvent.status, func.count()).where(CatalogEvent.source_id == source_id,
                                                            CatalogEvent.received_at >= since)
            .group_by(CatalogEvent.status))
        return {status: count for status, count in rows.all()}

    async def oldest_pending(self, source_id: uuid.UUID) -> datetime | None:
        return await self.session.scalar(select(func.min(CatalogEvent.received_at)).where(
            CatalogEvent.source_id == source_id, CatalogEvent.status == EventStatus.pending))

    async def last_received(self, source_id: uuid.UUID) -> datetime | None:
        return await self.session.scalar(select(func.max(CatalogEvent.received_at)).where(
            CatalogEvent.source_id == source_id))

    async def last_processed(self, source_id: uuid.UUID) -> datetime | None:
        return await self.session.scalar(select(func.max(CatalogEvent.processed_at)).where(
            CatalogEvent.source_id == source_id, CatalogEvent.status.in_([EventStatus.processed, EventStatus.stale])))


def _product_row(source_id: uuid.UUID, product: NormalisedProduct) -> dict:
    row = {"id": uuid.uuid4(), "source_id": source_id, "external_id": product.external_id,
           "source_updated_at": product.source_updated_at}
    if product.deleted:
        # A tombstone keeps whatever content the row had; only an unknown product gets blanks.
        return row | {"deleted_at": product.source_updated_at, "title": "", "description": "",
                      "tags": [], "images": [], "status": "archived"}
    return row | {"deleted_at": None, "title": product.title, "description": product.description,
                  "vendor": product.vendor, "product_type": product.product_type, "tags": product.tags,
                  "status": product.status, "images": product.images}


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, source_id: uuid.UUID,
                     products: list[NormalisedProduct]) -> dict[str, tuple[uuid.UUID, bool]]:
        """Insert or update products in one statement each batch, never replacing a row with an
        older `source_updated_at` (equal counts as older: a replay changes nothing). Returns
        external id -> (product id, inserted) for the rows actually written."""
        if not products:
            return {}
        written: dict[str, tuple[uuid.UUID, bool]] = {}
        for deleted in (False, True):  # a tombstone must not blank the content columns
            batch = [_product_row(source_id, p) for p in products if p.deleted == deleted]
            if batch:
                written.update(await self._upsert_batch(batch, tombstone=deleted))
        return written

    async def _upsert_batch(self, rows: list[dict], *, tombstone: bool) -> dict[str, tuple[uuid.UUID, bool]]:
        stmt = insert(Product).values(rows)
        columns = (["source_updated_at", "deleted_at"] if tombstone else
                   ["source_updated_at", "deleted_at", "title", "description", "vendor", "product_type",
                    "tags", "status", "images"])
        stmt = stmt.on_conflict_do_update(
            constraint="uq_products_source_id_external_id",
            set_={**{c: stmt.excluded[c] for c in columns}, "updated_at": func.now()},
            where=Product.source_updated_at < stmt.excluded.source_updated_at,
        ).returning(Product.external_id, Product.id, literal_column("xmax = 0").label("inserted"))
        result = await self.session.execute(stmt)
        return {ext: (pid, inserted) for ext, pid, inserted in result.all()}

    async def replace_variants(self, rows: list[dict], product_ids: list[uuid.UUID]) -> None:
        """Make the written products' variants exactly `rows` (upserted by external id, so ids stay)."""
        kept: list[uuid.UUID] = []
        if rows:
            stmt = insert(ProductVariant).values(rows)
            stmt = stmt.on_conflict_do_update(
                constraint="uq_product_variants_product_id_external_id",
                set_={c: stmt.excluded[c] for c in ("position", "title", "sku", "price", "compare_at_price",
                                                    "currency", "stock", "options")},
            ).returning(ProductVariant.id)
            kept = list(await self.session.scalars(stmt))
        await self.session.execute(delete(ProductVariant).where(ProductVariant.product_id.in_(product_ids),
                                                                ProductVariant.id.not_in(kept)))

    async def tombstone_missing(self, source_id: uuid.UUID, seen: set[str], at: datetime) -> list[uuid.UUID]:
        """Tombstone the source's live products whose external id was not seen upstream."""
        live = await self.session.execute(select(Product.id, Product.external_id).where(
            Product.source_id == source_id, Product.deleted_at.is_(None)))
        gone = [pid for pid, ext in live.all() if ext not in seen]
        for start in range(0, len(gone), 5000):
            await self.session.execute(update(Product).where(Product.id.in_(gone[start:start + 5000]))
                                       .values(deleted_at=at, updated_at=func.now()))
        return gone

    async def get_live(self, product_id: uuid.UUID) -> Product | None:
        return await self.session.scalar(select(Product).options(selectinload(Product.variants))
                                         .where(Product.id == product_id, Product.deleted_at.is_(None)))

    async def get(self, product_id: uuid.UUID) -> Product | None:
        return await self.session.scalar(select(Product).options(selectinload(Product.variants))
                                         .where(Product.id == product_id))

    async def count_live(self, source_id: uuid.UUID) -> int:
        return await self.session.scalar(select(func.count()).select_from(Product).where(
            Product.source_id == source_id, Product.deleted_at.is_(None))) or 0

    async def list_page(self, *, q: str | None, sku: str | None, in_stock: bool | None,
                        min_price: Decimal | None, max_price: Decimal | None, status: str | None,
                        source_id: uuid.UUID | None, limit: int, cursor: str | None) -> list[Product]:
        stmt = (select(Product).options(selectinload(Product.variants)).where(Product.deleted_at.is_(None))
                .order_by(Product.title, Product.id).limit(limit + 1))
        variant_filters = []
        if q:
            pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            stmt = stmt.where(or_(Product.title.ilike(pattern), Product.vendor.ilike(pattern),
                                  Product.description.ilike(pattern),
                                  exists().where(ProductVariant.product_id == Product.id,
                                                 ProductVariant.sku.ilike(pattern))))
        if sku:
            variant_filters.append(ProductVariant.sku == sku)
        if in_stock is not None:
            stocked = exists().where(ProductVariant.product_id == Product.id, ProductVariant.stock > 0)
            stmt = stmt.where(stocked if in_stock else ~stocked)
        if min_price is not None:
            variant_filters.append(ProductVariant.price >= min_price)
        if max_price is not None:
            variant_filters.append(ProductVariant.price <= max_price)
        if variant_filters:  # one variant must meet all of them (a SKU in the price range)
            stmt = stmt.where(exists().where(ProductVariant.product_id == Product.id, and_(*variant_filters)))
        if status:
            stmt = stmt.where(Product.status == status)
        if source_id:
            stmt = stmt.where(Product.source_id == source_id)
        if cursor:
            values = decode_cursor(cursor, (str, uuid.UUID))
            stmt = stmt.where(after((Product.title, Product.id), values))
        return list(await self.session.scalars(stmt))

    async def freshest_update(self, source_id: uuid.UUID) -> datetime | None:
        return await self.session.scalar(select(func.max(Product.updated_at)).where(Product.source_id == source_id))
