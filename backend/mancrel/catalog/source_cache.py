"""Webhook sources cached in the API process, so a delivery costs no source query.

A cached source (its kind and decrypted secrets) is used for SOURCE_TTL_SECONDS, then
read again. An admin's change through this process (disabling a source, rotating its
secret) drops the entry as soon as it commits; other API processes see the change
within the TTL. A source that is unknown or disabled is not cached: it is looked up
again on every delivery, so a new or re-enabled source takes deliveries at once.
"""

import asyncio
import time
import uuid
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

SOURCE_TTL_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class WebhookSource:
    """What a delivery needs of its source."""

    id: uuid.UUID
    kind: str
    secrets: tuple[str, ...]  # the current secret, and the previous one during a rotation


Loader = Callable[[uuid.UUID], Awaitable[WebhookSource | None]]
_caches: "weakref.WeakSet[SourceCache]" = weakref.WeakSet()


class SourceCache:
    def __init__(self, load: Loader, *, ttl: float = SOURCE_TTL_SECONDS) -> None:
        self._load = load
        self._ttl = ttl
        self._entries: dict[uuid.UUID, tuple[float, WebhookSource]] = {}
        self._loading: dict[uuid.UUID, asyncio.Future[WebhookSource | None]] = {}
        _caches.add(self)

    async def get(self, source_id: uuid.UUID) -> WebhookSource | None:
        """The enabled source, or None (unknown or disabled)."""
        entry = self._entries.get(source_id)
        if entry is not None and entry[0] > time.monotonic():
            return entry[1]
        # One load per source at a time: when an entry expires under load, the requests
        # that find it expired wait for the same query instead of each running their own.
        loading = self._loading.get(source_id)
        if loading is None:
            loading = self._loading[source_id] = asyncio.ensure_future(self._refresh(source_id))
            loading.add_done_callback(lambda _: self._loading.pop(source_id, None))
        return await asyncio.shield(loading)

    async def _refresh(self, source_id: uuid.UUID) -> WebhookSource | None:
        source = await self._load(source_id)
        if source is None:
            self._entries.pop(source_id, None)
        elif self._ttl > 0:
            self._entries[source_id] = (time.monotonic() + self._ttl, source)
        return source

    def forget(self, source_id: uuid.UUID) -> None:
        self._entries.pop(source_id, None)


def forget_everywhere(source_id: uuid.UUID) -> None:
    """Drop the source from every cache of this process (after an admin changed it)."""
    for cache in list(_caches):
        cache.forget(source_id)
