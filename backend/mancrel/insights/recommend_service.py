"""Product recommendations for one contact: candidates from three sources, ranked by
recommend_scoring.py.

(a) the profile vector's nearest products (the product search index, through the vector store);
(b) co-interest: what customers sharing the contact's strongest products bought or asked about;
(c) popularity, the prior that carries a contact with no history;
plus the products the contact asked about themselves. Reads only: the profile is kept by the
`ai.refresh_contact_profile` job, so a request costs a handful of indexed queries.
"""

import uuid
from datetime import datetime

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai.vectorstore import get_vector_store
from mancrel.core.db import utcnow
from mancrel.core.permissions import Actor
from mancrel.insights import recommend_scoring as scoring
from mancrel.insights.profile_build import MAX_PRODUCTS, Interest
from mancrel.insights.profile_repository import ProfileRepository
from mancrel.insights.recommend_repository import RecommendRepository
from mancrel.insights.recommend_schemas import RecommendationList, RecommendationRead, RecommendedProduct

VECTOR_CANDIDATES = 100
CO_SEEDS = MAX_PRODUCTS


async def recommend(session: AsyncSession, *, contact_id: uuid.UUID, actor: Actor, limit: int,
                    now: datetime | None = None) -> RecommendationList:
    """For a contact the caller may see (the router checked it)."""
    now = now or utcnow()
    profiles, repo = ProfileRepository(session), RecommendRepository(session)
    profile = await profiles.get_profile(contact_id)
    rows = await profiles.interests(contact_id)
    interests = {r.product_id: Interest(r.product_id, r.weight, r.asked_count, r.asked_at, r.quoted_at,
                                        r.bought_count, r.bought_at, r.last_at) for r in rows}
    candidates: dict[uuid.UUID, scoring.Candidate] = {}

    def candidate(product_id: uuid.UUID) -> scoring.Candidate:
        return candidates.setdefault(product_id, scoring.Candidate(product_id))

    if profile is not None and profile.vector is not None:
        vector = np.asarray(profile.vector, dtype=np.float32)
        for hit in await get_vector_store().query(session, vector, entity_types=["product"], actor=actor,
                                                  limit=VECTOR_CANDIDATES):
            candidate(hit.entity_id).similarity = hit.score
    seeds = [(i.product_id, i.weight) for i in sorted(interests.values(), key=lambda i: -i.weight)[:CO_SEEDS]]
    for product_id, seed, score in await repo.co_interest(contact_id, seeds):
        found = candidate(product_id)
        found.co_seed, found.co_interest = seed, score
    for product_id, score, buyers in await repo.popular():
        found = candidate(product_id)
        found.popularity, found.buyers = score, buyers
    for interest in interests.values():
        if interest.asked_at is not None or interest.bought_at is not None:
            candidate(interest.product_id)
    for product_id in await repo.open_deal_products(contact_id):
        candidates.pop(product_id, None)
    await _fill_popularity(repo, candidates)
    facts, titles = await _catalogue(repo, candidates, interests)
    ranked = scoring.rank(candidates, interests=interests, facts=facts, titles=titles, now=now, limit=limit,
                          has_profile=bool(interests) or (profile is not None and profile.vector is not None))
    return RecommendationList(items=[_read(facts[s.product_id], s) for s in ranked])


async def _fill_popularity(repo: RecommendRepository, candidates: dict[uuid.UUID, scoring.Candidate]) -> None:
    missing = [c.product_id for c in candidates.values() if c.popularity == 0]
    for product_id, (score, buyers) in (await repo.popularity_of(missing)).items():
        candidates[product_id].popularity, candidates[product_id].buyers = score, buyers


async def _catalogue(repo: RecommendRepository, candidates: dict[uuid.UUID, scoring.Candidate],
                     interests: dict[uuid.UUID, Interest]) -> tuple[dict[uuid.UUID, scoring.ProductFacts],
                                                                   dict[uuid.UUID, str]]:
    """Live, active products as synced now (others are simply absent), and the titles of the
    contact's own products the reasons name."""
    strongest = sorted(interests.values(), key=lambda i: -i.weight)[:MAX_PRODUCTS]
    rows = await repo.catalogue_facts(list(candidates.keys() | {i.product_id for i in strongest}))
    titles = {row[0]: row[1] for row in rows}
    facts = {row[0]: _facts(*row) for row in rows if row[0] in candidates}
    return facts, titles


def _facts(product_id, title, product_type, tags, sku, price, currency, stock, in_stock) -> scoring.ProductFacts:
    return scoring.ProductFacts(id=product_id, title=title, sku=sku, price=price, currency=currency,
                                stock=int(stock) if stock is not None else None, in_stock=bool(in_stock),
                                repurchase_days=scoring.repurchase_days(product_type, tags))


def _read(facts: scoring.ProductFacts, scored: scoring.Scored) -> RecommendationRead:
    return RecommendationRead(product=RecommendedProduct(id=facts.id, title=facts.title, sku=facts.sku,
                                                         price=facts.price, currency=facts.currency,
                                                         stock=facts.stock),
                              score=scored.score, reasons=scored.reasons)
