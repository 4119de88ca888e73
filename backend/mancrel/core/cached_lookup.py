"""Webhook receivers (catalogue sources, channels) cached in the API process, so a delivery
costs no lookup query.

A cached entry (its kind and decrypted secrets) is used for `ttl` seconds, then read
again. An admin's change through this process (disabling it, rotating its secret) drops
the entry as soon as it commits (`forget_everywhere`); other API processes see the
change within the TTL. A receiver that is unknown or disabled is not cached: it is looked
up again on every delivery, so a new or re-enabled one takes deliveries at once.
"""

import asyncio
import time
import uuid
import weakref
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

V = TypeVar("V")
DEFAULT_TTL_SECONDS = 5.0

_caches: "weakref.WeakSet[CachedLookup]" = weakref.WeakSet()


class CachedLookup(Generic[V]):
    def __init__(self, load: Callable[[uuid.UUID], Awaitable[V | None]], *, ttl: float = DEFAULT_TTL_SECONDS) -> None:
        self._load = load
        self._ttl = ttl
        self._entries: dict[uuid.UUID, tuple[float, V]] = {}
        self._loading: dict[uuid.UUID, asyncio.Future[V | None]] = {}
        _caches.add(self)

    async def get(self, key: uuid.UUID) -> V | None:
        """The enabled receiver, or None (unknown or disabled)."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] > time.monotonic():
            return entry[1]
        # One load per key at a time: when an entry expires under load, the requests
        # that find it expired wait for the same query instead of each running their own.
        loading = self._loading.get(key)
        if loading is None:
            loading = self._loading[key] = asyncio.ensure_future(self._refresh(key))
            loading.add_done_callback(lambda _: self._loading.pop(key, None))
        return await asyncio.shield(loading)

    async def named(self, raw_id: str) -> V | None:
        """The receiver a webhook path names (`/webhook/.../{id}`), or None: a path segment that is
        not a UUID names no receiver, the same answer as an unknown one."""
        try:
            key = uuid.UUID(raw_id)
        except ValueError:
            return None
        return await self.get(key)

    async def _refresh(self, key: uuid.UUID) -> V | None:
        value = await self._load(key)
        if value is None:
            self._entries.pop(key, None)
        elif self._ttl > 0:
            self._entries[key] = (time.monotonic() + self._ttl, value)
        return value

    def forget(self, key: uuid.UUID) -> None:
        self._entries.pop(key, None)


def forget_everywhere(key: uuid.UUID) -> None:
    """Drop the entry from every cache of this process (after an admin changed it)."""
    for cache in list(_caches):
        cache.forget(key)
