"""The interest profile, as arithmetic: events in, per-product weights and one vector out.

Pure functions (no database), so the recommendation benchmark (bench/insights) builds profiles
with the very code the `ai.refresh_contact_profile` job runs.

Each event is a product the contact bought (a won deal's line item), was quoted (an open deal's),
asked about (named in their message) or discussed (named in a logged activity). Its weight is
KIND_WEIGHT x 0.5 ^ (age / HALF_LIFE_DAYS): last month's question counts more than last year's
purchase. The vector is the weighted mean of those products' search vectors, blended with the
mean of the contact's own recent words (TEXT_SHARE of it, all of it for someone with no
products yet), then normalised: a point in the space product search uses, so "nearest products"
is one vector query.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

KIND_WEIGHT = {"bought": 3.0, "quoted": 2.0, "asked": 1.5, "discussed": 1.0}
HALF_LIFE_DAYS = 90.0
TEXT_SHARE = 0.3
MAX_PRODUCTS = 30  # the strongest interests that shape the vector and seed co-interest


@dataclass(frozen=True)
class Event:
    product_id: uuid.UUID
    kind: str  # bought | quoted | asked | discussed
    at: datetime
    count: int = 1


@dataclass
class Interest:
    product_id: uuid.UUID
    weight: float = 0.0
    asked_count: int = 0
    asked_at: datetime | None = None
    quoted_at: datetime | None = None
    bought_count: int = 0
    bought_at: datetime | None = None
    last_at: datetime | None = None


def decay(at: datetime, now: datetime) -> float:
    age_days = max((now - at).total_seconds(), 0.0) / 86400
    return 0.5 ** (age_days / HALF_LIFE_DAYS)


def _latest(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a


def interests(events: Iterable[Event], now: datetime) -> dict[uuid.UUID, Interest]:
    out: dict[uuid.UUID, Interest] = {}
    for event in events:
        item = out.setdefault(event.product_id, Interest(event.product_id))
        item.weight += KIND_WEIGHT[event.kind] * decay(event.at, now) * (1 + 0.25 * (min(event.count, 5) - 1))
        item.last_at = _latest(item.last_at, event.at)
        if event.kind in ("asked", "discussed"):
            item.asked_count += 1
            item.asked_at = _latest(item.asked_at, event.at)
        elif event.kind == "quoted":
            item.quoted_at = _latest(item.quoted_at, event.at)
        elif event.kind == "bought":
            item.bought_count += 1
            item.bought_at = _latest(item.bought_at, event.at)
    return out


def strongest(found: dict[uuid.UUID, Interest], limit: int = MAX_PRODUCTS) -> list[Interest]:
    return sorted(found.values(), key=lambda i: (-i.weight, str(i.product_id)))[:limit]


def blend(product_vectors: list[tuple[np.ndarray, float]], text_vectors: list[tuple[np.ndarray, float]],
          text_share: float = TEXT_SHARE) -> np.ndarray | None:
    """The normalised profile vector, or None when there is nothing to build it from."""
    def mean(pairs: list[tuple[np.ndarray, float]]) -> np.ndarray | None:
        total = sum(w for _, w in pairs)
        if not pairs or total <= 0:
            return None
        return np.sum([v * w for v, w in pairs], axis=0) / total

    products, texts = mean(product_vectors), mean(text_vectors)
    if products is None and texts is None:
        return None
    if products is None:
        vector = texts
    elif texts is None:
        vector = products
    else:
        vector = (1 - text_share) * products + text_share * texts
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 0 else None
