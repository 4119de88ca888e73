"""Webhook sources cached in the API process, so a delivery costs no source query
(core/cached_lookup.py says how long an entry lives and when it is dropped)."""

import uuid
from dataclasses import dataclass

from mancrel.core.cached_lookup import CachedLookup, forget_everywhere

SOURCE_TTL_SECONDS = 5.0

__all__ = ["SOURCE_TTL_SECONDS", "SourceCache", "WebhookSource", "forget_everywhere"]


@dataclass(frozen=True, slots=True)
class WebhookSource:
    """What a delivery needs of its source."""

    id: uuid.UUID
    kind: str
    secrets: tuple[str, ...]  # the current secret, and the previous one during a rotation


class SourceCache(CachedLookup[WebhookSource]):
    pass
