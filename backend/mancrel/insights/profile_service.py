"""Refresh one contact's interest profile (the `ai.refresh_contact_profile` job). Flushes only.

Reads the contact's deals' line items (won: bought; open: quoted), their latest messages and
logged activities, finds the products those texts name with the matching the reply step uses
(catalog/mentions.py: exact SKUs, whole product titles, loose mentions of a single product), and
writes the per-product interests and the profile vector (profile_build.py) for recommendations to read.
"""

import asyncio
import uuid
from datetime import datetime

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

# Modules, not names: the worker loads every task module while mancrel.ai.indexing may still be
# importing (worker/app.py), so its names are read when used.
from mancrel.ai import indexing, search_index
from mancrel.ai.embeddings import get_embedder
from mancrel.catalog import matching, mentions
from mancrel.contact import service as contact_service
from mancrel.core.db import utcnow
from mancrel.deal.models import DealStatus
from mancrel.insights import profile_build as build
from mancrel.insights.profile_repository import ProfileRepository

MENTIONS_PER_TEXT = 3


async def refresh(session: AsyncSession, *, contact_id: uuid.UUID, now: datetime | None = None,
                  force: bool = False) -> bool:
    """Recompute the profile if a change asked for it (or `force`); False when there was
    nothing to do: an earlier job of the same burst already did it (profile_signal.py)."""
    repo = ProfileRepository(session)
    await repo.lock(contact_id)
    if not await repo.take_requests(contact_id) and not force:
        return False
    contact = await contact_service.get(session, contact_id)
    if contact is None or contact.deleted_at is not None:
        return False
    now = now or utcnow()
    events = _deal_events(await repo.line_item_signals(contact_id))
    texts = await repo.recent_texts(contact_id)
    for text, at, kind in texts:
        for product_id in await mentioned_products(session, text):
            events.append(build.Event(product_id, kind, at))
    found = build.strongest(build.interests(events, now))
    vector = await _vector(session, found, texts, now)
    await repo.save(contact_id, vector=vector, found=found, texts=len(texts), now=now)
    return True


def _deal_events(rows: list[tuple[uuid.UUID, DealStatus, datetime, int]]) -> list[build.Event]:
    kinds = {DealStatus.won: "bought", DealStatus.open: "quoted"}  # a lost deal teaches nothing here
    return [build.Event(product_id, kinds[status], at, quantity)
            for product_id, status, at, quantity in rows if status in kinds]


async def mentioned_products(session: AsyncSession, text: str) -> list[uuid.UUID]:
    """Products a text names: exact SKUs first, then whole titles, then loose mentions of a single
    product ("the timber sleepingbag"); a loose mention that fits several products is no interest
    in any of them."""
    found = [m.product.id for m in await mentions.mentions(session, text, limit=MENTIONS_PER_TEXT)
             if not m.ambiguous]
    return found[:MENTIONS_PER_TEXT]


async def _vector(session: AsyncSession, found: list[build.Interest], texts: list[tuple[str, datetime, str]],
                  now: datetime) -> np.ndarray | None:
    weights = {i.product_id: i.weight for i in found}
    products = await matching.products_by_ids(session, list(weights))
    clip, limit = search_index.clip, search_index.BODY_CHARS
    product_texts = [clip(f"{title}. {body}", limit) for title, _, body in map(indexing.product_text, products)]
    own_words = [clip(text, limit) for text, _, _ in texts]
    if not product_texts and not own_words:
        return None
    # The same model and text as the product search index: the profile lives in its space.
    vectors = await asyncio.to_thread(get_embedder().embed, product_texts + own_words)
    product_pairs = [(vectors[n], weights[p.id]) for n, p in enumerate(products)]
    text_pairs = [(vectors[len(products) + n], build.decay(at, now)) for n, (_, at, _) in enumerate(texts)]
    return build.blend(product_pairs, text_pairs)
