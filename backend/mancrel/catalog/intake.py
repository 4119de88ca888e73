"""Taking a webhook delivery: verify, store once with its job, acknowledge.

Everything slow happens in the `catalog.process_event` job; here we only check the
signature over the raw bytes and write two rows in one transaction, so the sender
gets its 2xx within milliseconds and a lost process never loses an acknowledged event.
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog import source_service
from mancrel.catalog.exceptions import InvalidSignature, SourceNotFound
from mancrel.catalog.models import CatalogSource, EventStatus, SourceKind
from mancrel.catalog.repository import EventRepository
from mancrel.catalog.signatures import SignatureError, verify_body_hmac, verify_standard
from mancrel.core.db import utcnow
from mancrel.core.redis import get_redis
from mancrel.worker.outbox import enqueue

logger = logging.getLogger("mancrel.catalog.webhook")
DUPLICATE_KEY_TTL = 25 * 3600


def is_woocommerce_ping(source: CatalogSource, headers: Mapping[str, str], body: bytes) -> bool:
    """WooCommerce's unsigned form-encoded `webhook_id=<n>` sent when a webhook is created."""
    return (source.kind == SourceKind.woocommerce and "x-wc-webhook-signature" not in headers
            and body.startswith(b"webhook_id=") and len(body) < 100)


async def load_source(session: AsyncSession, raw_id: str) -> CatalogSource:
    try:
        source_id = uuid.UUID(raw_id)
    except ValueError as exc:
        raise SourceNotFound() from exc
    source = await source_service.get(session, source_id)
    if source is None or not source.enabled:
        raise SourceNotFound()
    return source


def verify(source: CatalogSource, headers: Mapping[str, str], body: bytes) -> None:
    secrets = source_service.valid_secrets(source, now=utcnow())
    try:
        if not secrets:
            raise SignatureError("the source has no webhook secret")
        if source.kind == SourceKind.shopify:
            verify_body_hmac(secrets, headers.get("x-shopify-hmac-sha256"), body)
        elif source.kind == SourceKind.woocommerce:
            verify_body_hmac(secrets, headers.get("x-wc-webhook-signature"), body)
        else:
            verify_standard(secrets, headers, body, now=time.time())
    except SignatureError as exc:
        logger.info("webhook refused", extra={"source_id": str(source.id), "reason": str(exc)})
        raise InvalidSignature("The delivery's signature could not be verified.") from exc


def _delivery(source: CatalogSource, headers: Mapping[str, str],
              body: bytes) -> tuple[str, str | None, datetime | None]:
    """(delivery id, topic, when the sender says it happened) for the source's kind."""
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
    return (delivery_id or "sha256:" + hashlib.sha256(body).hexdigest())[:200], topic, triggered


def _iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


async def accept(session: AsyncSession, *, source: CatalogSource, headers: Mapping[str, str],
                 body: bytes) -> tuple[uuid.UUID | None, bool]:
    """Store a verified delivery with its job. Returns (event id, whether it was new)."""
    delivery_id, topic, triggered_at = _delivery(source, headers, body)
    event_id = await EventRepository(session).insert_new({
        "id": uuid.uuid4(), "source_id": source.id, "delivery_id": delivery_id, "topic": topic, "body": body,
        "triggered_at": triggered_at, "received_at": utcnow(), "status": EventStatus.pending})
    if event_id is None:
        await count_duplicate(source.id)
        return None, False
    enqueue(session, "catalog.process_event", event_id=event_id)
    return event_id, True


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
