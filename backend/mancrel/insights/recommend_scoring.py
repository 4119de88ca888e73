"""Ranking recommendation candidates, as arithmetic (no database): the endpoint and the
benchmark (bench/insights/recommend_quality.py) rank with this same code.

score = 0.30 x similarity (cosine of the product to the contact's profile vector, floored at 0)
      + 0.50 x co-interest (what customers sharing the contact's products went on to buy; the
               best candidate scores 1)
      + 0.10 x popularity (log-scaled; the best candidate scores 1)
      + 1.00 x decayed "asked about it" (the customer named it: a rep should follow that up)
      + 0.50 when a consumable they bought is due again.
The weights were set on bench/insights (recommend_quality.py): co-interest carries most of the
signal there, similarity adds to it, and a due consumable is nearly a sure sale.
A contact with no history yet is ranked by popularity alone.

Never recommended: products out of stock (every variant's stock is 0; untracked stock counts as
available), inactive or deleted products (the candidates' catalogue read drops them), products
already on one of the contact's open deals, durable goods the contact bought, and consumables
bought less than 80% of their repurchase interval ago (from then on they are due soon).

Consumables: a product whose tags hold `consumable` (reordered every DEFAULT_REPURCHASE_DAYS)
or `repurchase-<N>d` (every N days, e.g. `repurchase-30d`), or whose product_type is
`consumable`/`consumables`. Everything else is a durable good.
"""

import math
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from mancrel.insights.profile_build import Interest, decay

WEIGHTS = {"similarity": 0.30, "co_interest": 0.50, "popularity": 0.10, "asked": 1.00, "due": 0.50}
DEFAULT_REPURCHASE_DAYS = 90
_REPURCHASE_TAG = re.compile(r"^repurchase-(\d{1,4})d$")
SIMILAR_REASON_MIN = 0.45  # below this cosine, "similar to" would not read as true
DUE_SHARE = 0.8  # a consumable is offered again once 80% of its interval has passed: due soon


@dataclass
class Candidate:
    product_id: uuid.UUID
    similarity: float = 0.0
    co_interest: float = 0.0
    co_seed: uuid.UUID | None = None  # the contact's product that contributed most
    popularity: float = 0.0
    buyers: int = 0


@dataclass(frozen=True)
class ProductFacts:
    id: uuid.UUID
    title: str
    sku: str | None
    price: Decimal | None
    currency: str | None
    stock: int | None  # summed over variants; None when no variant tracks stock
    in_stock: bool
    repurchase_days: int | None  # None: a durable good


@dataclass
class Scored:
    product_id: uuid.UUID
    score: float
    reasons: list[str] = field(default_factory=list)


def repurchase_days(product_type: str | None, tags: Iterable[str] | None) -> int | None:
    for tag in tags or ():
        tag = tag.strip().lower()
        if tag == "consumable":
            return DEFAULT_REPURCHASE_DAYS
        match = _REPURCHASE_TAG.match(tag)
        if match:
            return max(int(match.group(1)), 1)
    if (product_type or "").strip().lower() in ("consumable", "consumables"):
        return DEFAULT_REPURCHASE_DAYS
    return None


def day(at: datetime) -> str:
    return f"{at.day} {at:%b}"


def _verb(interest: Interest) -> str:
    if interest.bought_count:
        return "bought"
    if interest.quoted_at:
        return "were quoted"
    return "asked about"


def rank(candidates: dict[uuid.UUID, Candidate], *, interests: dict[uuid.UUID, Interest],
         facts: dict[uuid.UUID, ProductFacts], titles: dict[uuid.UUID, str], now: datetime,
         limit: int, has_profile: bool) -> list[Scored]:
    max_co = max((c.co_interest for c in candidates.values()), default=0.0) or 1.0
    max_pop = max((math.log1p(c.popularity) for c in candidates.values()), default=0.0) or 1.0
    top = max(interests.values(), key=lambda i: i.weight, default=None)
    scored = []
    for candidate in candidates.values():
        product = facts.get(candidate.product_id)
        if product is None or not product.in_stock:
            continue
        interest = interests.get(candidate.product_id)
        due = _due(interest, product, now)
        if due is False:
            continue
        pop = math.log1p(candidate.popularity) / max_pop
        if not has_profile:
            scored.append(Scored(product.id, round(pop, 4), _popular_reason(candidate)))
            continue
        reasons: list[str] = []
        score = (WEIGHTS["similarity"] * max(candidate.similarity, 0.0)
                 + WEIGHTS["co_interest"] * candidate.co_interest / max_co + WEIGHTS["popularity"] * pop)
        if due:
            score += WEIGHTS["due"]
            reasons.append(f"bought {product.title} on {day(interest.bought_at)}; "
                           f"usually reordered every {product.repurchase_days} days")
        elif interest is not None and interest.asked_at is not None:
            score += WEIGHTS["asked"] * decay(interest.asked_at, now)
            reasons.append(f"asked about {product.title} on {day(interest.asked_at)}")
        if candidate.co_seed is not None and candidate.co_seed in titles and candidate.co_interest > 0:
            reasons.append(f"often bought with the {titles[candidate.co_seed]}")
        if (candidate.similarity >= SIMILAR_REASON_MIN and top is not None and top.product_id != product.id
                and top.product_id in titles):
            reasons.append(f"similar to the {titles[top.product_id]} they {_verb(top)}")
        if not reasons:
            reasons = _popular_reason(candidate) if candidate.popularity > 0 else ["matches what they wrote about"]
        scored.append(Scored(product.id, round(score, 4), reasons))
    scored.sort(key=lambda s: (-s.score, str(s.product_id)))
    return scored[:limit]


def _due(interest: Interest | None, product: ProductFacts, now: datetime) -> bool | None:
    """None: never bought; True: a consumable due again; False: bought, so not recommended now."""
    if interest is None or interest.bought_at is None:
        return None
    if product.repurchase_days is None:
        return False
    return now >= interest.bought_at + timedelta(days=product.repurchase_days * DUE_SHARE)


def _popular_reason(candidate: Candidate) -> list[str]:
    if candidate.buyers > 1:
        return [f"popular: bought by {candidate.buyers} customers"]
    return ["popular with customers"]
