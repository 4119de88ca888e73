"""Taking a webhook delivery: find the source, verify, describe the delivery, count duplicates.

Everything slow happens in the worker's `catalog.drain_events` job; the request only
finds its source (cached, source_cache.py), checks the signature over the raw bytes and
hands the delivery to the batcher (event_batcher.py), which stores it with its job
before the sender gets its 2xx.
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog import refusals, source_service
from mancrel.catalog.event_batcher import Connect, Delivery, DeliveryBatcher, Outcome
from mancrel.catalog.exceptions import InvalidSignature, SourceNotFound
from mancrel.catalog.limits import EARLIEST, LATEST
from mancrel.catalog.models import SourceKind
from mancrel.catalog.repository import SourceRepository
from mancrel.catalog.signatures import SignatureError, verify_body_hmac, verify_standard
from mancrel.catalog.source_cache import SOURCE_TTL_SECONDS, SourceCache, WebhookSource
from mancrel.core.db import utcnow
from mancrel.core.redis import get_redis

logger = logging.getLogger("mancrel.catalog.webhook")
DUPLICATE_KEY_TTL = 25 * 3600


class WebhookIntake:
    """The API process's intake: cached sources and the group-committing batcher, both on
    connections from `connect` (the process's engine; the test's connection in tests)."""

    def __init__(self, connect: Connect, *, source_ttl: float = SOURCE_TTL_SECONDS) -> None:
        self._connect = connect
        self.sources = SourceCache(self._load_source, ttl=source_ttl)
        self.batcher = DeliveryBatcher(connect)

    async def source(self, raw_id: str) -> WebhookSource:
        """The enabled source the path names; 404 otherwise."""
        source = await self.sources.named(raw_id)
        if source is None:
            raise SourceNotFound()
        return source

    async def _load_source(self, source_id: uuid.UUID) -> WebhookSource | None:
        async with self._connect() as connection, AsyncSession(bind=connection) as session:
            source = await SourceRepository(session).get(source_id)
            if source is None or not source.enabled:
                return None
            return WebhookSource(id=source.id, kind=source.kind,
                                 secrets=tuple(source_service.valid_secrets(source, now=utcnow())))

    async def store(self, delivery: Delivery) -> Outcome:
        outcome = await self.batcher.store(delivery)
        if outcome is Outcome.duplicate:
            await count_duplicate(delivery.source_id)
        elif outcome is Outcome.source_gone:
            self.sources.forget(delivery.source_id)
            raise SourceNotFound()
        return outcome


def is_woocommerce_ping(source: WebhookSource, headers: Mapping[str, str], body: bytes) -> bool:
    """WooCommerce's unsigned form-encoded `webhook_id=<n>` sent when a webhook is created."""
    return (source.kind == SourceKind.woocommerce and "x-wc-webhook-signature" not in headers
            and body.startswith(b"webhook_id=") and len(body) < 100)


async def check_signature(source: WebhookSource, headers: Mapping[str, str], body: bytes) -> None:
    """`verify`, and a refusal remembered: it may be a change we now lack (catalog/freshness.py)."""
    try:
        verify(source, headers, body)
    except InvalidSignature:
        await refusals.note(source.id)
        raise


def verify(source: WebhookSource, headers: Mapping[str, str], body: bytes) -> None:
    try:
        if not source.secrets:
            raise SignatureError("the source has no webhook secret")
        if source.kind == SourceKind.shopify:
            verify_body_hmac(source.secrets, headers.get("x-shopify-hmac-sha256"), body)
        elif source.kind == SourceKind.woocommerce:
            verify_body_hmac(source.secrets, headers.get("x-wc-webhook-signature"), body)
        else:
            verify_standard(source.secrets, headers, body, now=time.time())
    except SignatureError as exc:
        logger.info("webhook refused", extra={"source_id": str(source.id), "reason": str(exc)})
        raise InvalidSignature("The delivery's signature could not be verified.") from exc


def delivery(source: WebhookSource, headers: Mapping[str, str], body: bytes) -> Delivery:
    """A verified delivery, described for storage: its id from the sender, topic and time."""
    if source.kind == SourceKind.shopify:
        delivery_id = headers.get("x-shopify-webhook-id") or headers.get("x-shopify-event-id")
        topic, triggered = headers.get("x-shopify-topic"), _iso(headers.get("x-shopify-triggered-at"))
    elif source.kind == SourceKind.woocommerce:
        delivery_id = headers.get("x-wc-webhook-delivery-id")
        topic, triggered = headers.get("x-wc-webhook-topic"), None
    else:
        delivery_id, topic = headers.get("webhook-id"), None
        triggered = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
    # Without an id from the sender the body itself identifies a retry of the same delivery.
    delivery_id = (delivery_id or "sha256:" + hashlib.sha256(body).hexdigest())[:200]
    return Delivery(id=uuid.uuid4(), source_id=source.id, delivery_id=delivery_id, topic=topic, body=body,
                    triggered_at=triggered, received_at=utcnow())


def _iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        parsed = parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError):  # unreadable, or off Python's calendar once in UTC
        return None
    # A delete's time orders it against updates: none at all beats one at the calendar's edge.
    return parsed if EARLIEST <= parsed <= LATEST else None


def _duplicate_key(source_id: uuid.UUID, hour: int) -> str:
    return f"catalog:duplicates:{source_id}:{hour}"


async def count_duplicate(source_id: uuid.UUID) -> None:
    # Duplicates leave no row (that is the point), so they are counted in hourly buckets.
    key = _duplicate_key(source_id, int(time.time() // 3600))
    try:
        redis = get_redis()
        await redis.incr(key)
        await redis.expire(key, DUPLICATE_KEY_TTL)
    except Exception:  # a lost count must never turn an acknowledged duplicate into a 500
        logger.warning("could not count a duplicate delivery", exc_info=True)


async def duplicates_last_24h(source_id: uuid.UUID) -> int:
    hour = int(time.time() // 3600)
    values = await get_redis().mget([_duplicate_key(source_id, h) for h in range(hour - 23, hour + 1)])
    return sum(int(v) for v in values if v)
