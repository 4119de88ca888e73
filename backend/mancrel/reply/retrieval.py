"""Retrieval: the facts a reply to one message may use.

Products the customer names come first (an exact SKU, then a whole product title in their own
words). Only when none is named exactly: products named loosely (part of a title, a typing error:
catalog/mentions.py), marked `match="loose"`; and only when none is named at all does the catalogue's
hybrid search (ai/search.py) suggest some, marked `match="search"`. The gate never sends an answer
about a loosely named or a searched product on its own (decision.py). Knowledge entries come by intent.
"""

import uuid
from types import SimpleNamespace

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import search as search_service
from mancrel.catalog import matching, mentions
from mancrel.core.permissions import Role
from mancrel.reply.facts import Facts, KnowledgeFact, product_fact
from mancrel.reply.models import KnowledgeEntry
from mancrel.reply.repository import KnowledgeRepository

PRODUCT_INTENTS = frozenset({"product_question", "availability", "pricing", "purchase_intent"})
MAX_PRODUCTS = 3
SEARCH_HITS = 2
# The reply step works for the shop, not for one rep: it reads the whole catalogue.
_CATALOGUE_READER = SimpleNamespace(id=uuid.UUID(int=0), role=Role.admin)


def knowledge_fact(entry: KnowledgeEntry) -> KnowledgeFact:
    return KnowledgeFact(entry_id=entry.id, topic=entry.topic, title=entry.title, body=entry.body,
                         version=entry.version)


async def retrieve(session: AsyncSession, *, text: str, intent: str) -> Facts:
    found: dict[uuid.UUID, tuple[object, str]] = {}
    named = await mentions.mentions(session, text)
    exact = [m for m in named if m.match != "loose"]
    for mention in exact or named:
        found.setdefault(mention.product.id, (mention.product, mention.match))
    if not found and intent in PRODUCT_INTENTS and text.strip():
        hits = await search_service.search(session, query=text[:500], types=["product"], actor=_CATALOGUE_READER,
                                           limit=SEARCH_HITS)
        for product in await matching.products_by_ids(session, [h.id for h in hits]):
            found.setdefault(product.id, (product, "search"))
    facts = Facts()
    for product, match in list(found.values())[:MAX_PRODUCTS]:
        facts.products.append(product_fact(product, match=match,
                                           age_seconds=await matching.data_age_seconds(session, product)))
    facts.knowledge = [knowledge_fact(e) for e in await KnowledgeRepository(session).for_intent(intent)]
    return facts


async def current(session: AsyncSession, *, product_ids: list[uuid.UUID], knowledge_ids: list[uuid.UUID],
                  matches: dict[uuid.UUID, str]) -> Facts:
    """The same facts as synced now (for checking a draft made earlier, or edited by a human).
    A product deleted or archived since is simply absent, so any claim about it fails."""
    facts = Facts()
    for product in await matching.products_by_ids(session, product_ids):
        facts.products.append(product_fact(product, match=matches.get(product.id, "name"),
                                           age_seconds=await matching.data_age_seconds(session, product)))
    facts.knowledge = [knowledge_fact(e) for e in await KnowledgeRepository(session).by_ids(knowledge_ids)]
    return facts
