"""Which products a customer's message names, and how each was found: an exact SKU (`sku`), a whole
title (`name`), or a loose mention (`loose`): a distinctive part of the title, words in another
order, a plural, a missing apostrophe, a typing error (catalog/title_words.py judges those).

One message costs two indexed reads, whatever the size of the catalogue: its SKU-like words by
`lower(sku)`, and its other words in the trigram index on product titles (`title %> word`, migration
0028): only titles that contain at least two of them (or their one word) are read, the most
completely covered and rarest first, and judged in Python. Whole titles are found among those
(case-insensitive, as catalog/matching.py's `products_named_in` finds them for grounding), so
no message scans the catalogue. A loose mention that fits several products is returned for all of
them (up to three), marked ambiguous, so a caller can decide what an unsure mention is worth: the
reply step never answers on it alone, a customer's profile only counts a mention of one product.
"""

import uuid
from dataclasses import dataclass

from sqlalchemy import Float, Text, and_, cast, func, select
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog import matching
from mancrel.catalog import title_words as words
from mancrel.catalog.models import Product

# Titles read per message, the most completely covered first: beyond these, the same handful of
# common words ("merino socks") in many titles, which names no product anyway.
CANDIDATES = 120
MAX_QUERY_WORDS = 40  # a long mail's first distinct words; a product is named near where it is asked about
# Function words: never part of a product's name, so not looked up.
_NOT_LOOKED_UP = frozenset({
    "the", "and", "for", "you", "your", "are", "have", "has", "had", "was", "were", "with", "this", "that",
    "from", "but", "not", "can", "could", "would", "will", "what", "when", "how", "which", "who", "there",
    "their", "they", "them", "any", "all", "just", "also", "still", "about", "please", "thanks", "thank",
    "hello", "did", "does", "its", "our", "der", "die", "das", "und", "ist", "ich", "sie", "les", "des",
    "une", "est", "pour", "que", "los", "las", "por", "para", "con", "het", "een", "voor", "che", "per",
})


@dataclass(frozen=True)
class Mention:
    product: Product
    match: str          # "sku" | "name" | "loose"
    score: float        # 1.0 when exact; for a loose mention, the share of the title found, less typing errors
    ambiguous: bool = False  # a loose mention that fits this and other products equally well


@dataclass(frozen=True)
class _Candidate:
    id: uuid.UUID
    title: str
    live: bool
    cut: bool  # the list stopped among equally good titles: its rivals were not all read


def _query_words(toks: list[words.Token]) -> list[str]:
    picked = dict.fromkeys(t.word for t in toks if len(t.word) >= 3 and t.word not in _NOT_LOOKED_UP)
    return list(picked)[:MAX_QUERY_WORDS]


async def _candidates(session: AsyncSession, query_words: list[str]) -> list[_Candidate]:
    """Products whose title contains (by trigrams) at least two of the words, or the one word of a
    one-word title. Archived and deleted ones too: they are never named, but a customer who names
    one is not naming its live sibling ("Falcon Cork Yoga Mat Plus" is not the Falcon Cork Yoga Mat)."""
    if not query_words:
        return []
    live = and_(*matching.live()).label("live")
    # One statement whatever the words (compiled and prepared once): each word asks the index.
    asked = func.unnest(cast(query_words, ARRAY(Text))).table_valued("w", with_ordinality="n").render_derived()
    hits = (select(asked.c.n.label("word"), Product.id.label("id"), Product.title.label("title"), live)
            .select_from(asked).join(Product, Product.title.op("%>")(asked.c.w)).subquery("hits"))
    spread = select(hits, func.count().over(partition_by=hits.c.word).label("spread")).subquery("spread")
    found = func.count(func.distinct(spread.c.word))
    title_length = func.array_length(func.string_to_array(func.btrim(spread.c.title), " "), 1)
    cover = (cast(found, Float) / title_length).label("cover")
    rarity = func.sum(1.0 / cast(spread.c.spread, Float)).label("rarity")
    # The planner counts a trigram comparison as cheap and, on a small catalogue, compares every title
    # with every word (30 ms at 1,000 products) instead of asking the index (1-3 ms): not here.
    await session.execute(sql("SET LOCAL enable_seqscan = off"))
    rows = (await session.execute(
        select(spread.c.id, spread.c.title, spread.c.live, cover, rarity)
        .group_by(spread.c.id, spread.c.title, spread.c.live)
        .having(found >= func.least(words.MIN_WORDS, title_length))
        .order_by(cover.desc(), rarity.desc(), spread.c.id).limit(CANDIDATES + 1))).all()
    await session.execute(sql("RESET enable_seqscan"))
    edge = (rows[CANDIDATES].cover, rows[CANDIDATES].rarity) if len(rows) > CANDIDATES else None
    return [_Candidate(r.id, r.title, r.live, edge is not None and r.cover == edge[0]
                       and abs(r.rarity - edge[1]) < 1e-9) for r in rows[:CANDIDATES]]


def _whole_titles(candidates: list[_Candidate], text: str, limit: int) -> list[_Candidate]:
    """Live titles the text contains whole (case-insensitive), longest first, leaving out one written
    only inside a longer title the text contains ("Cedar Trail Running Shoes" in "... Shoes II"),
    archived or not."""
    lowered = text.lower()
    inside = [c for c in candidates if len(c.title) >= matching.MIN_TITLE_LENGTH and c.title.lower() in lowered]
    named: list[_Candidate] = []
    for candidate in sorted(inside, key=lambda c: (-len(c.title), c.id)):
        if candidate.title.lower() in lowered and candidate.live:
            named.append(candidate)
        lowered = lowered.replace(candidate.title.lower(), "\x00")
    return named[:limit]


async def mentions(session: AsyncSession, text: str, *, limit: int = 5) -> list[Mention]:
    """Every product the text names: exact SKUs, then whole titles, then loose mentions on the words
    no exact mention took (best first)."""
    toks = words.tokens(text)
    candidates = await _candidates(session, _query_words(toks))
    found: dict[uuid.UUID, Mention] = {}
    for product in await matching.products_by_skus(session, matching.sku_candidates(text)):
        found.setdefault(product.id, Mention(product, "sku", 1.0))
    whole = {c.id: c for c in _whole_titles(candidates, text, limit) if c.id not in found}
    taken = [m.product.title for m in found.values()] + [c.title for c in whole.values()]
    loose = {k: (seen, ambiguous) for k, seen, ambiguous in _loose(toks, candidates, taken_titles=taken)
             if k not in found and k not in whole}
    for product in await matching.products_by_ids(session, [*whole, *loose]):  # one read for both
        seen, ambiguous = loose.get(product.id, (None, False))
        found[product.id] = (Mention(product, "name", 1.0) if seen is None
                             else Mention(product, "loose", seen.score, ambiguous))
    order = {"sku": 0, "name": 1, "loose": 2}
    return sorted(found.values(), key=lambda m: (order[m.match], -m.score, -len(m.product.title)))


def _loose(toks: list[words.Token], candidates: list[_Candidate],
           taken_titles: list[str]) -> list[tuple[uuid.UUID, words.Evidence, bool]]:
    """Live products named loosely on message words that no exact mention took."""
    product_words = {w for c in candidates for w in words.title_words(c.title)}
    taken = {p for title in taken_titles if (seen := words.evidence(title, toks)) for p in seen.positions}
    judged: dict[uuid.UUID, words.Evidence] = {}
    for candidate in candidates:
        seen = words.evidence(candidate.title, toks)
        if seen is not None and not seen.positions & taken and not words.contradicted(seen, toks, product_words):
            judged[candidate.id] = seen
    usable = {c.id for c in candidates if c.live and not c.cut}
    return [(k, e, ambiguous) for k, e, ambiguous in words.choose(judged) if k in usable]
