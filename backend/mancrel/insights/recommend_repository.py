"""The recommendation endpoint's reads: co-interest neighbours, popularity, open-deal products."""

import uuid

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.deal.line_items_models import DealLineItem
from mancrel.deal.models import Deal, DealStatus
from mancrel.insights.profile_models import ProductPopularity

PEERS_PER_SEED = 100  # the most recent contacts sharing each product: bounded work for popular ones
CO_CANDIDATES = 150
POPULAR_CANDIDATES = 50

# For each of the contact's products (seed), the latest peers who share it; what those peers
# bought (1) or asked about / were quoted (0.5), per seed, damped by the product's own reach
# (item-to-item cosine: co-occurrence / sqrt(popularity)) so best-sellers do not win everywhere.
_CO_INTEREST = text("""
WITH seeds AS (
    SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:weights AS float8[])) AS s(product_id, w)
), peers AS (
    SELECT s.product_id AS seed, s.w, n.contact_id
    FROM seeds s CROSS JOIN LATERAL (
        SELECT i.contact_id FROM contact_product_interests i
        WHERE i.product_id = s.product_id AND i.contact_id <> :contact_id
        ORDER BY i.last_at DESC LIMIT :per_seed) n
), pairs AS (
    SELECT o.product_id, p.seed, sum(p.w * CASE WHEN o.bought_count > 0 THEN 1.0 ELSE 0.5 END) AS s
    FROM peers p
    JOIN contact_product_interests o ON o.contact_id = p.contact_id AND o.product_id <> p.seed
    GROUP BY o.product_id, p.seed
)
SELECT pr.product_id, (array_agg(pr.seed ORDER BY pr.s DESC))[1] AS seed,
       sum(pr.s) / sqrt(greatest(coalesce(max(pp.buyers + pp.interested), 1), 1)) AS score
FROM pairs pr
LEFT JOIN product_popularity pp ON pp.product_id = pr.product_id
GROUP BY pr.product_id
ORDER BY score DESC
LIMIT :limit
""")


# The catalogue facts a recommendation shows, for a few hundred candidates in one statement: only
# the columns needed, variants summed in SQL. Loading the candidates as ORM products with their
# variants took about half of a request's time at 100,000 products (bench/insights).
_FACTS = text("""
SELECT p.id, p.title, p.product_type, p.tags, v.sku, v.price, v.currency, s.stock, coalesce(s.available, false)
FROM products p
CROSS JOIN LATERAL (
    SELECT sum(stock) FILTER (WHERE stock IS NOT NULL) AS stock, bool_or(stock IS NULL OR stock > 0) AS available
    FROM product_variants WHERE product_id = p.id) s
LEFT JOIN LATERAL (
    SELECT sku, price, currency FROM product_variants WHERE product_id = p.id
    ORDER BY (stock IS NULL OR stock > 0) DESC, position, id LIMIT 1) v ON true
WHERE p.id = ANY(CAST(:ids AS uuid[])) AND p.deleted_at IS NULL AND p.status = 'active'
""")


class RecommendRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def co_interest(self, contact_id: uuid.UUID, seeds: list[tuple[uuid.UUID, float]]
                          ) -> list[tuple[uuid.UUID, uuid.UUID, float]]:
        """(candidate, the seed that contributed most, score summed over seeds), best first."""
        if not seeds:
            return []
        rows = await self.session.execute(_CO_INTEREST, {
            "ids": [s[0] for s in seeds], "weights": [s[1] for s in seeds], "contact_id": contact_id,
            "per_seed": PEERS_PER_SEED, "limit": CO_CANDIDATES})
        return [(product_id, seed, float(score)) for product_id, seed, score in rows]

    async def popular(self, limit: int = POPULAR_CANDIDATES) -> list[tuple[uuid.UUID, float, int]]:
        rows = await self.session.execute(
            select(ProductPopularity.product_id, ProductPopularity.score, ProductPopularity.buyers)
            .where(ProductPopularity.score > 0).order_by(ProductPopularity.score.desc()).limit(limit))
        return [(p, float(s), b) for p, s, b in rows]

    async def popularity_of(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[float, int]]:
        if not ids:
            return {}
        rows = await self.session.execute(
            select(ProductPopularity.product_id, ProductPopularity.score, ProductPopularity.buyers)
            .where(ProductPopularity.product_id.in_(ids)))
        return {p: (float(s), b) for p, s, b in rows}

    async def catalogue_facts(self, ids: list[uuid.UUID]) -> list[tuple]:
        """(id, title, product_type, tags, sku, price, currency, stock, in stock) of live, active products."""
        if not ids:
            return []
        return [tuple(row) for row in await self.session.execute(_FACTS, {"ids": ids})]

    async def open_deal_products(self, contact_id: uuid.UUID) -> set[uuid.UUID]:
        """Products already on the contact's open deals: being sold, not news to recommend."""
        rows = await self.session.scalars(
            select(DealLineItem.product_id).join(Deal, Deal.id == DealLineItem.deal_id)
            .where(Deal.contact_id == contact_id, Deal.status == DealStatus.open, Deal.deleted_at.is_(None),
                   DealLineItem.product_id.is_not(None)))
        return set(rows)
