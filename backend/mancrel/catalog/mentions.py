"""Which products a customer's message names, and how each was found: an exact SKU (`sku`), a whole
title (`name`, catalog/matching.py), or a loose mention (`loose`): a distinctive part of the title,
words in another order, a plural, a missing apostrophe, a typing error (catalog/title_words.py).

A loose mention costs one indexed query, whatever the size of the catalogue: the message's words
are looked up in the trigram index on product titles (`title %> word`, migration 0028), and only
titles that contain at least two of them, the rarest first, are read and judged in Python. A loose
mention that fits several products is returned for all of them (up to three), marked ambiguous,
so a caller can decide what an unsure mention is worth: the reply step never answers on it alone,
a customer's profile only counts a mention of a single product.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Float, and_, cast, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog import matching
from mancrel.catalog import title_words as words
from mancrel.catalog.models import Product

# Titles read per message: the ones sharing the rarest words with it come first; more than this
# many are the same handful of common words ("merino socks"), which name no product anyway.
CANDIDATES = 120
MAX_QUERY_WORDS = 40  # a long mail's first distinct words; a product is named near where it is asked about
# Words too common in mail to look up (a title containing them is still found by its other words).
_NOT_LOOKED_UP = frozenset({
    "the", "and", "for", "you", "your", "are", "have", "has", "had", "was", "were", "with", "this", "that",
    "from", "but", "not", "can", "could", "would", "will", "what", "when", "how", "which", "who", "there",
    "their", "they", "them", "any", "all", "out", "just", "also", "still", "about", "please", "thanks",
    "thank", "hello", "dear", "regard", "kind", "best", "want", "need", "like", "get", "got", "did", "does",
    "order", "ordered", "bought", "buy", "price", "much", "many", "stock", "available", "do", "is", "it",
    "der", "die", "das", "und", "ist", "ich", "sie", "les", "des", "une", "est", "pour", "que", "los", "las",
    "por", "para", "con", "het", "een", "voor", "che", "per", "non",
})


@dataclass(frozen=True)
class Mention:
    product: Product
    match: str          # "sku" | "name" | "loose"
    score: float        # 1.0 when exact; for a loose mention, the share of the title found, less typing errors
    ambiguous: bool = False  # a loose mention that fits this and other products equally well


def _query_words(toks: list[words.Token]) -> list[str]:
    picked = dict.fromkeys(t.word for t in toks if len(t.word) >= 3 and t.word not in _NOT_LOOKED_UP)
    return list(picked)[:MAX_QUERY_WORDS]


@dataclass(frozen=True)
class _Candidate:
    id: uuid.UUID
    title: str
    live: bool
    cut: bool  # the list stopped inside a run of equally rare titles: its rivals were not all read


async def _candidates(session: AsyncSession, query_words: list[str]) -> list[_Candidate]:
    """Products whose title contains (by trigrams) at least two of the words, the rarest words
    first. Archived and deleted ones too: they are never named, but a customer who names one
    exactly is not naming its live sibling loosely."""
    if len(query_words) < words.MIN_WORDS:
        return []
    per_word = [select(literal(n).label("word"), Product.id.label("id")).where(Product.title.op("%>")(w))
                for n, w in enumerate(query_words)]
    hits = union_all(*per_word).subquery("hits")
    spread = select(hits.c.word, hits.c.id, func.count().over(partition_by=hits.c.word).label("spread")).subquery()
    rarity = func.sum(1.0 / cast(spread.c.spread, Float)).label("rarity")
    ranked = (select(spread.c.id, rarity).group_by(spread.c.id)
              .having(func.count(func.distinct(spread.c.word)) >= words.MIN_WORDS)
              .order_by(rarity.desc(), spread.c.id).limit(CANDIDATES + 1).subquery("ranked"))
    rows = (await session.execute(select(Product.id, Product.title, and_(*matching.live()).label("live"),
                                         ranked.c.rarity)
                                  .join(ranked, ranked.c.id == Product.id)
                                  .order_by(ranked.c.rarity.desc(), Product.id))).all()
    last = rows[CANDIDATES].rarity if len(rows) > CANDIDATES else None
    return [_Candidate(r.id, r.title, r.live, last is not None and abs(r.rarity - last) < 1e-9)
            for r in rows[:CANDIDATES]]


async def loose_mentions(session: AsyncSession, text: str, *, exact: Sequence[Product] = ()) -> list[Mention]:
    """Products the text names loosely (best first), on words no exact mention (`exact`) took."""
    toks = words.tokens(text)
    candidates = await _candidates(session, _query_words(toks))
    product_words = {w for c in candidates for w in words.title_words(c.title)}
    taken = {p for product in exact if (seen := words.evidence(product.title, toks)) for p in seen.positions}
    found: dict[uuid.UUID, words.Evidence] = {}
    for candidate in candidates:
        seen = words.evidence(candidate.title, toks)
        if seen is not None and not seen.positions & taken and not words.contradicted(seen, toks, product_words):
            found[candidate.id] = seen
    usable = {c.id for c in candidates if c.live and not c.cut}
    chosen = [(k, e, amb) for k, e, amb in words.choose(found) if k in usable]
    products = {p.id: p for p in await matching.products_by_ids(session, [k for k, _, _ in chosen])}
    return [Mention(products[k], "loose", e.score, amb) for k, e, amb in chosen if k in products]


def _outnamed(titles: list[str], text: str) -> set[str]:
    """Titles found only inside a longer found title: "Cedar Trail Running Shoes" in "... Shoes II"."""
    lowered, inside = text.lower(), set()
    for title in sorted(titles, key=len, reverse=True):
        if title.lower() not in lowered:
            inside.add(title)
        lowered = lowered.replace(title.lower(), "\0")
    return inside


async def exact_mentions(session: AsyncSession, text: str, *, limit: int = 5) -> list[Mention]:
    """Exact SKUs first, then whole titles (a title written only as part of a longer one is not
    named), each product once."""
    found: dict[uuid.UUID, Mention] = {}
    for product in await matching.products_by_skus(session, matching.sku_candidates(text)):
        found.setdefault(product.id, Mention(product, "sku", 1.0))
    named = await matching.products_named_in(session, text, limit=limit)
    inside = _outnamed([p.title for p in named], text)
    for product in named:
        if product.title not in inside:
            found.setdefault(product.id, Mention(product, "name", 1.0))
    return list(found.values())


async def mentions(session: AsyncSession, text: str, *, limit: int = 5) -> list[Mention]:
    """Every product the text names: exact ones first, then loose ones."""
    exact = await exact_mentions(session, text, limit=limit)
    loose = await loose_mentions(session, text, exact=[m.product for m in exact])
    return exact + loose
