"""Every catalogue query: sources, events, products, and the guarded bulk upsert."""

import json
import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    cast,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    update,
)
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

    async def existing_ids(self, source_ids: set[uuid.UUID]) -> set[uuid.UUID]:
        return set(await self.session.scalars(select(CatalogSource.id).where(CatalogSource.id.in_(source_ids))))

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

    async def due_for_reconcile(self, now: datetime) -> list[CatalogSource]:
        stmt = (select(CatalogSource)
                .where(CatalogSource.enabled, CatalogSource.poll_url.is_not(None),
                       or_(CatalogSource.next_reconcile_at.is_(None), CatalogSource.next_reconcile_at <= now))
                .with_for_update(skip_locked=True))
        return list(await self.session.scalars(stmt))


# Deliveries travel as one array per column (asyncpg sends them in binary, bodies
# included), so a batch of any size is one small prepared statement. The join drops a
# delivery whose source was deleted meanwhile instead of failing the whole batch.
_INSERT_DELIVERIES = text("""
INSERT INTO catalog_events (id, source_id, delivery_id, topic, body, triggered_at, received_at, status)
SELECT d.id, d.source_id, d.delivery_id, d.topic, d.body, d.triggered_at, d.received_at, 'pending'
FROM unnest(CAST(:ids AS uuid[]), CAST(:source_ids AS uuid[]), CAST(:delivery_ids AS text[]),
            CAST(:topics AS text[]), CAST(:bodies AS bytea[]), CAST(:triggered AS timestamptz[]),
            CAST(:received AS timestamptz[]))
     AS d(id, source_id, delivery_id, topic, body, triggered_at, received_at)
JOIN catalog_sources s ON s.id = d.source_id
ON CONFLICT ON CONSTRAINT uq_catalog_events_source_id_delivery_id DO NOTHING
RETURNING id
""")
# Drains of one source run one at a time: events apply in order of receipt, and two
# drains never lock the same products in opposite orders.
_LOCK_SOURCE_DRAIN = text("SELECT pg_advisory_xact_lock(hashtextextended('catalog.drain:' || :source_id, 0))")


def _is(status: str | EventStatus) -> ColumnElement[bool]:
    """`status = '<value>'` with the value written into the statement, not bound. The partial
    indexes (pending, failed, processed) match only a literal status: with a parameter,
    PostgreSQL's generic plan for a prepared statement (used from its sixth run on) cannot
    use them and reads every event kept (tests/catalog/test_growth_plans.py)."""
    return CatalogEvent.status == literal(str(status), literal_execute=True)


_APPLIED = or_(_is(EventStatus.processed), _is(EventStatus.stale))


class EventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_batch(self, deliveries: list) -> set[uuid.UUID]:
        """Store deliveries (event_batcher.Delivery) unless (source, delivery id) is already
        stored, a duplicate within the batch included; the ids of those that were new."""
        result = await self.session.execute(_INSERT_DELIVERIES, {
            "ids": [d.id for d in deliveries], "source_ids": [d.source_id for d in deliveries],
            "delivery_ids": [d.delivery_id for d in deliveries], "topics": [d.topic for d in deliveries],
            "bodies": [d.body for d in deliveries], "triggered": [d.triggered_at for d in deliveries],
            "received": [d.received_at for d in deliveries]})
        return set(result.scalars())

    async def lock_source_drain(self, source_id: uuid.UUID) -> None:
        await self.session.execute(_LOCK_SOURCE_DRAIN, {"source_id": str(source_id)})

    async def pending_for_update(self, source_id: uuid.UUID, *, limit: int) -> list[CatalogEvent]:
        """The source's pending events, oldest first (the partial index ix_catalog_events_pending)."""
        return list(await self.session.scalars(
            select(CatalogEvent).where(CatalogEvent.source_id == source_id, _is(EventStatus.pending))
            .order_by(CatalogEvent.received_at, CatalogEvent.id).limit(limit)
            .with_for_update().execution_options(populate_existing=True)))

    async def get_for_update(self, event_id: uuid.UUID) -> CatalogEvent | None:
        return await self.session.scalar(select(CatalogEvent).where(CatalogEvent.id == event_id)
                                         .with_for_update().execution_options(populate_existing=True))

    async def list_page(self, source_id: uuid.UUID, *, status: str | None, limit: int,
                        cursor: str | None) -> list[CatalogEvent]:
        stmt = (select(CatalogEvent).where(CatalogEvent.source_id == source_id)
                .order_by(CatalogEvent.received_at.desc(), CatalogEvent.id.desc()).limit(limit + 1))
        if status:
            stmt = stmt.where(_is(status))
        if cursor:
            values = decode_cursor(cursor, (datetime.fromisoformat, uuid.UUID))
            stmt = stmt.where(after((CatalogEvent.received_at, CatalogEvent.id), values, descending=True))
        return list(await self.session.scalars(stmt))

    async def counts_last_hours(self, source_id: uuid.UUID, hours: int) -> dict[str, int]:
        # The window as `now() - interval`, which the planner estimates even in a generic
        # plan; a bound time would be read as "a third of all events" there.
        window = literal_column(f"interval '{int(hours)} hours'")
        rows = await self.session.execute(
            select(CatalogEvent.status, func.count()).where(CatalogEvent.source_id == source_id,
                                                            CatalogEvent.received_at >= func.now() - window)
            .group_by(CatalogEvent.status))
        return {status: count for status, count in rows.all()}

    async def oldest_pending(self, source_id: uuid.UUID) -> datetime | None:
        return await self.session.scalar(select(func.min(CatalogEvent.received_at)).where(
            CatalogEvent.source_id == source_id, _is(EventStatus.pending)))

    def failed_ids(self, source_id: uuid.UUID) -> Select:
        """The source's failed events' ids as text, a subquery: dead letters name their event so."""
        return select(cast(CatalogEvent.id, String)).where(CatalogEvent.source_id == source_id,
                                                           _is(EventStatus.failed))

    async def last_received(self, source_id: uuid.UUID) -> datetime | None:
        return await self.session.scalar(select(func.max(CatalogEvent.received_at)).where(
            CatalogEvent.source_id == source_id))

    async def last_processed(self, source_id: uuid.UUID) -> datetime | None:
        return await self.session.scalar(select(func.max(CatalogEvent.processed_at)).where(
            CatalogEvent.source_id == source_id, _APPLIED))


def _product_row(product: NormalisedProduct) -> dict:
    row = {"id": str(uuid.uuid4()), "external_id": product.external_id,
           "source_updated_at": product.source_updated_at.isoformat()}
    if product.deleted:
        # A tombstone keeps whatever content the row had; only an unknown product gets blanks.
        return row | {"deleted_at": product.source_updated_at.isoformat(), "title": "", "description": "",
                      "tags": [], "images": [], "status": "archived"}
    return row | {"deleted_at": None, "title": product.title, "description": product.description,
                  "vendor": product.vendor, "product_type": product.product_type, "tags": product.tags,
                  "status": product.status, "images": product.images}


# Rows travel as JSON documents expanded by jsonb_to_recordset: one small statement whatever
# the batch size, where a multi-row VALUES would cost more to compile than to run.
_PRODUCTS = """
INSERT INTO products (id, source_id, external_id, title, description, vendor, product_type, tags, status, images,
                      source_updated_at, deleted_at)
SELECT r.id, :source_id, r.external_id, r.title, r.description, r.vendor, r.product_type,
       coalesce(r.tags, '{{}}'), r.status, coalesce(r.images, '[]'), r.source_updated_at, r.deleted_at
FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id uuid, external_id text, title text, description text,
     vendor text, product_type text, tags text[], status text, images jsonb, source_updated_at timestamptz,
     deleted_at timestamptz)
ON CONFLICT ON CONSTRAINT uq_products_source_id_external_id DO UPDATE SET {columns}, updated_at = now()
WHERE products.source_updated_at < excluded.source_updated_at
RETURNING products.external_id, products.id, (xmax = 0) AS inserted
"""
_CONTENT = ("source_updated_at", "deleted_at", "title", "description", "vendor", "product_type", "tags",
            "status", "images")
# Products and their variants in ONE statement: variants are written only for the products
# the guarded upsert returned (the newer versions), and a written product's variants that
# the new version no longer has are deleted. The DELETE sees the rows as they were before
# the statement, so it never touches a variant the same statement inserted or updated.
UPSERT_LIVE = text("WITH written AS (" + _PRODUCTS.format(  # noqa: S608 (constant column names)
    columns=", ".join(f"{c} = excluded.{c}" for c in _CONTENT)) + """),
variants AS (
    INSERT INTO product_variants (id, product_id, external_id, position, title, sku, price, compare_at_price,
                                  currency, stock, options)
    SELECT gen_random_uuid(), w.id, v.external_id, v.position, v.title, v.sku, v.price, v.compare_at_price,
           v.currency, v.stock, coalesce(v.options, '{}')
    FROM jsonb_to_recordset(CAST(:variants AS jsonb)) AS v(product_external_id text, external_id text,
         position int, title text, sku text, price numeric, compare_at_price numeric, currency text, stock int,
         options jsonb)
    JOIN written w ON w.external_id = v.product_external_id
    ON CONFLICT ON CONSTRAINT uq_product_variants_product_id_external_id DO UPDATE SET
        position = excluded.position, title = excluded.title, sku = excluded.sku, price = excluded.price,
        compare_at_price = excluded.compare_at_price, currency = excluded.currency, stock = excluded.stock,
        options = excluded.options
    RETURNING id
),
dropped AS (
    DELETE FROM product_variants pv USING written w
    WHERE pv.product_id = w.id AND pv.id NOT IN (SELECT id FROM variants)
)
SELECT external_id, id, inserted FROM written
""")
UPSERT_TOMBSTONE = text(_PRODUCTS.format(columns=", ".join(f"{c} = excluded.{c}" for c in _CONTENT[:2])))


def _variant_rows(products: list[NormalisedProduct]) -> list[dict]:
    rows = []
    for product in products:
        seen: set[str] = set()
        for variant in product.variants:
            if variant.external_id in seen:  # a statement cannot write one row twice
                continue
            seen.add(variant.external_id)
            rows.append({"product_external_id": product.external_id, "external_id": variant.external_id,
                         "position": len(seen) - 1, "title": variant.title, "sku": variant.sku,
                         "price": variant.price, "compare_at_price": variant.compare_at_price,
                         "currency": variant.currency, "stock": variant.stock, "options": variant.options})
    return rows


def _json(rows: list[dict]) -> str:
    return json.dumps(rows, default=str)


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, source_id: uuid.UUID,
                     products: list[NormalisedProduct]) -> dict[str, tuple[uuid.UUID, bool]]:
        """Insert or update products (with their variants) in one statement per kind, never
        replacing a row with an older `source_updated_at` (equal counts as older: a replay
        changes nothing). Returns external id -> (product id, inserted) for rows written."""
        written: dict[str, tuple[uuid.UUID, bool]] = {}
        live = [p for p in products if not p.deleted]
        tombstones = [p for p in products if p.deleted]
        if live:
            result = await self.session.execute(UPSERT_LIVE, {
                "source_id": source_id, "rows": _json([_product_row(p) for p in live]),
                "variants": _json(_variant_rows(live))})
            written.update({ext: (pid, inserted) for ext, pid, inserted in result.all()})
        if tombstones:
            result = await self.session.execute(UPSERT_TOMBSTONE, {
                "source_id": source_id, "rows": _json([_product_row(p) for p in tombstones])})
            written.update({ext: (pid, inserted) for ext, pid, inserted in result.all()})
        return written

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
