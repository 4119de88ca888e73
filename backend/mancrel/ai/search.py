"""Hybrid search: keyword (PostgreSQL full text plus title trigrams) and vector (the store),
fused by reciprocal rank, limited to what the user may see."""

import asyncio
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import repository
from mancrel.ai.embeddings import get_embedder
from mancrel.ai.vectorstore import get_vector_store
from mancrel.core.permissions import Actor, visible_owner_values

SEARCH_TYPES = ("product", "contact", "company", "deal", "message")
RRF_K = 60  # the usual constant: damps the weight of the very first ranks
CANDIDATES = 50
# Vector hits below this cosine similarity are noise for short queries; keyword hits need none.
MIN_VECTOR_SCORE = 0.25


@dataclass
class SearchHit:
    type: str
    id: uuid.UUID
    title: str
    snippet: str
    score: float
    parent_id: uuid.UUID | None = None  # the record the hit opens in: a message's conversation


def visible_owner_ids(actor: Actor) -> list[uuid.UUID] | None:
    """For ai.service's classification list: None when the actor sees everything, else their
    own id (the repository adds unowned rows). Derived from core/permissions, not restated."""
    owners = visible_owner_values(actor)
    return None if owners is None else [o for o in owners if o is not None]


def fuse(rankings: list[list[tuple[str, uuid.UUID]]], k: int = RRF_K) -> list[tuple[tuple[str, uuid.UUID], float]]:
    scores: dict[tuple[str, uuid.UUID], float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


async def search(session: AsyncSession, *, query: str, types: list[str], actor: Actor, limit: int) -> list[SearchHit]:
    keyword = await repository.keyword_matches(session, query, entity_types=types, actor=actor)
    vector = await asyncio.to_thread(get_embedder().embed_one, query)
    hits = await get_vector_store().query(session, vector, entity_types=types, actor=actor, limit=CANDIDATES)
    semantic = [(h.entity_type, h.entity_id) for h in hits if h.score >= MIN_VECTOR_SCORE]
    fused = fuse([keyword, semantic])[:limit]
    docs = await repository.documents(session, [key for key, _ in fused], actor=actor)
    results = []
    for key, score in fused:
        doc = docs.get(key)
        if doc is None:  # a vector whose document was removed since (Qdrant is not transactional)
            continue
        results.append(SearchHit(doc.entity_type, doc.entity_id, doc.title, doc.snippet, round(score, 6),
                                 doc.parent_id))
    return results
