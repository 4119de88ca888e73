"""Use cases of the sync: process a stored webhook event, poll a source, reconcile it, and
refresh the products whose webhook lacked their variants."""

import logging
import uuid
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog import live, poller, source_service
from mancrel.catalog.limits import check_product
from mancrel.catalog.models import CatalogEvent, CatalogSource, EventStatus, SourceKind
from mancrel.catalog.normalise import MalformedPayload, NormalisedProduct, parse_event
from mancrel.catalog.repository import EventRepository, ProductRepository, SourceRepository
from mancrel.catalog.schemas import PollResult
from mancrel.catalog.service import apply_products, forget_product, newest_per_id
from mancrel.core.db import utcnow
from mancrel.core.errors import AppError
from mancrel.core.redis import get_redis
from mancrel.worker.errors import PermanentError, is_transient
from mancrel.worker.outbox import enqueue

logger = logging.getLogger("mancrel.catalog.sync")


class EventRejected(AppError, PermanentError):
    """A malformed delivery. `keeps_changes` commits the event's failed status and reason
    (the unit of work would otherwise roll them back); as a PermanentError the job goes to
    the dead letters at once instead of retrying."""

    status, title, slug = 422, "Malformed catalogue event", "malformed-catalog-event"
    keeps_changes = True

LOCK_SECONDS = 600
DRAIN_LIMIT = 500  # events applied per drain transaction; a fuller backlog gets another drain
MAX_BACKOFF = timedelta(hours=6)
RECONCILE_EVERY = timedelta(days=1)


async def process_event(session: AsyncSession, event_id: uuid.UUID) -> str:
    """Apply one stored delivery. Safe to run twice: a handled event is left as it is."""
    events = EventRepository(session)
    event = await events.get_for_update(event_id)
    # A failed event runs again only when an admin replays its dead letter.
    if event is None or event.status not in (EventStatus.pending, EventStatus.failed):
        return event.status if event else "missing"
    source = await SourceRepository(session).get(event.source_id)
    try:
        product = _parse(source, event)
    except MalformedPayload as exc:
        # A retry would fail the same way: record why, for the admin, and stop retrying.
        _mark_failed(event, str(exc))
        await session.flush()
        raise EventRejected(f"catalog event {event.id}: {exc}") from exc
    deferred = _refresh_later(session, source, [product])
    written = bool(deferred) or bool(await _apply_isolated(session, source.id, [(event, product)]))
    if event.status == EventStatus.failed:  # the database refused what the checks let by
        raise EventRejected(f"catalog event {event.id}: {event.error}")
    event.external_id = product.external_id
    event.status = EventStatus.processed if written else EventStatus.stale
    event.processed_at = utcnow()
    return event.status


def _parse(source: CatalogSource, event: CatalogEvent) -> NormalisedProduct:
    """The event's product, checked against what our tables hold (limits.py); MalformedPayload
    says why not. A parser that trips over an odd shape fails this event, not its source's drain."""
    try:
        product = parse_event(source.kind, event.body, topic=event.topic, triggered_at=event.triggered_at,
                              received_at=event.received_at, default_currency=source.currency)
    except MalformedPayload:
        raise
    except Exception as exc:
        logger.exception("catalog event could not be parsed", extra={"event_id": str(event.id)})
        raise MalformedPayload(f"could not be read ({type(exc).__name__}: {str(exc)[:200]})") from exc
    return check_product(product)


def _mark_failed(event: CatalogEvent, reason: str) -> None:
    event.status, event.error, event.processed_at = EventStatus.failed, reason[:2000], utcnow()


async def drain_events(session: AsyncSession, source_id: uuid.UUID) -> dict[str, int]:
    """Apply the source's pending deliveries, oldest first, with one upsert per batch.

    The intake enqueues one drain per source and batch it commits; a drain takes every
    event pending by then, so under load one drain applies many and the drains after it
    find little or nothing. An event that cannot be applied (malformed, or a value our
    tables cannot hold) is marked failed with its reason and handed to
    `catalog.process_event`, which dead-letters it (replayable) without holding up the
    others. Safe to run twice: only pending events are taken.
    """
    events = EventRepository(session)
    await events.lock_source_drain(source_id)
    pending = await events.pending_for_update(source_id, limit=DRAIN_LIMIT)
    source = await SourceRepository(session).get(source_id) if pending else None
    if source is None:
        return {}
    parsed: list[tuple[CatalogEvent, NormalisedProduct]] = []
    for event in pending:
        try:
            parsed.append((event, _parse(source, event)))
        except MalformedPayload as exc:
            _mark_failed(event, str(exc))
    products = [product for _, product in parsed]
    deferred = {id(product) for product in _refresh_later(session, source, products)}
    chosen = deferred | await _apply_isolated(
        session, source.id, [(event, product) for event, product in parsed if id(product) not in deferred])
    now = utcnow()
    for event, product in parsed:
        if event.status != EventStatus.failed:
            # Of several versions of one product in the drain only the newest was written.
            event.external_id, event.processed_at = product.external_id, now
            event.status = EventStatus.processed if id(product) in chosen else EventStatus.stale
    for event in pending:
        if event.status == EventStatus.failed:
            enqueue(session, "catalog.process_event", event_id=event.id)
    if len(pending) == DRAIN_LIMIT:
        enqueue(session, "catalog.drain_events", source_id=source_id)
    return dict(Counter(event.status for event in pending))


async def _apply_isolated(session: AsyncSession, source_id: uuid.UUID,
                          items: list[tuple[CatalogEvent, NormalisedProduct]]) -> set[int]:
    """Apply the events' products; the `id()`s of those written.

    All in one upsert, under a savepoint. Should the database refuse it (a value that got
    past limits.py), each event's product is applied again under its own savepoint, and an
    event the database refuses is marked failed with the database's reason while the others
    apply. Transient errors (a deadlock, a lost connection) still fail the job, to be retried.
    """
    products = [product for _, product in items]
    if not products:
        return set()
    await session.flush()  # earlier changes (failed events) must not ride on the savepoint
    try:
        async with session.begin_nested():
            written = await apply_products(session, source_id=source_id, products=products)
        return {id(product) for product in newest_per_id(products) if product.external_id in written}
    except DBAPIError as exc:
        if is_transient(exc):
            raise
        logger.warning("a drain's upsert was refused; applying its events one by one",
                       extra={"source_id": str(source_id), "reason": _refusal(exc)})
    newest: dict[str, int] = {}
    for event, product in items:
        try:
            async with session.begin_nested():
                if await apply_products(session, source_id=source_id, products=[product]):
                    newest[product.external_id] = id(product)
        except DBAPIError as exc:
            if is_transient(exc):
                raise
            _mark_failed(event, f"the database refused it: {_refusal(exc)}")
    return set(newest.values())


def _refusal(exc: DBAPIError) -> str:
    return (str(exc.orig).strip().splitlines() or ["?"])[0][:500]


def _refresh_later(session: AsyncSession, source: CatalogSource,
                   products: list[NormalisedProduct]) -> list[NormalisedProduct]:
    """The products whose payload lacks their variants (WooCommerce variable products), when
    the source can be asked for them: they stay as stored, and `catalog.refresh_products`
    fetches them whole after commit. A source without poll settings gets the payload applied."""
    if not source.poll_url or not source.has_poll_credentials:
        return []
    waiting = [product for product in products if product.needs_variants and not product.deleted]
    if waiting:
        enqueue(session, "catalog.refresh_products", source_id=source.id,
                external_ids=sorted({product.external_id for product in waiting}))
    return waiting


async def refresh_products(session: AsyncSession, source_id: uuid.UUID, external_ids: list[str]) -> dict[str, int]:
    """Fetch these products of a WooCommerce source afresh, variations included.

    Idempotent: the guarded upsert writes only versions newer than those held. A store that is
    down (`StoreUnavailable`) fails the job, which is retried with backoff; one that refuses
    (credentials, a malformed answer) dead-letters it, to be replayed once fixed. The products
    keep their stored variants meanwhile; a poll would catch them up too, but polls are the
    slow fallback.
    """
    source = await SourceRepository(session).get(source_id)
    if source is None or source.kind != SourceKind.woocommerce or not source.poll_url or not external_ids:
        return {"written": 0}
    written = 0
    async with poller.http_client() as client:
        async for page in poller.woocommerce_pages(client, source, token=source_service.poll_credentials(source),
                                                   updated_since=None, include=external_ids):
            written += len(await apply_products(session, source_id=source.id, products=page.products))
    return {"written": written}


def _lock(source_id: uuid.UUID):
    return get_redis().lock(f"catalog:poll-lock:{source_id}", timeout=LOCK_SECONDS, blocking=False)


async def poll(session: AsyncSession, source_id: uuid.UUID, *, full: bool = False) -> PollResult | None:
    """One poll (incremental, or `full` for a reconciliation) under the source's lock.

    Returns None when another poll of the source holds the lock or the source is gone.
    """
    lock = _lock(source_id)
    if not await lock.acquire():
        logger.info("poll skipped: another is running", extra={"source_id": str(source_id)})
        return None
    try:
        source = await SourceRepository(session).get(source_id)
        if source is None or not source.poll_url:
            return None
        result = await _poll_locked(session, source, full=full)
        await session.flush()
        return result
    finally:
        try:
            await lock.release()
        except Exception:  # expired meanwhile: the next poll simply takes it
            logger.warning("poll lock was lost before release", extra={"source_id": str(source_id)})


async def _poll_locked(session: AsyncSession, source: CatalogSource, *, full: bool) -> PollResult:
    started = utcnow()
    result = PollResult(fetched=0, written=0)
    seen: set[str] = set()
    newest = source.poll_cursor
    try:
        async with poller.http_client() as client:
            async for page in poller.pages(client, source, token=source_service.poll_credentials(source),
                                           updated_since=None if full else source.poll_cursor):
                written = await apply_products(session, source_id=source.id, products=page.products)
                result.fetched += len(page.products)
                result.written += len(written)
                for product in page.products:
                    seen.add(product.external_id)
                    if newest is None or product.source_updated_at > newest:
                        newest = product.source_updated_at
                if page.skipped:
                    logger.warning("poll skipped malformed products",
                                   extra={"source_id": str(source.id), "reasons": page.skipped[:5]})
    except poller.PollError as exc:
        _record_failure(source, str(exc), now=utcnow())
        if full:  # try the reconciliation again with the polls' backoff, not a day later
            source.next_reconcile_at = source.next_poll_at
        return result
    if full:
        gone = await ProductRepository(session).tombstone_missing(source.id, seen, started)
        for product_id in gone:
            await forget_product(session, product_id)
        live.note_changes(session, deleted=gone)
        result.tombstoned = len(gone)
        result.drift = result.written + len(gone)
        source.last_reconciled_at, source.last_reconcile_drift = started, result.drift
        source.last_reconcile_tombstoned = len(gone)
    now = utcnow()
    source.poll_cursor, source.last_poll_at = newest, now
    source.poll_failures, source.last_poll_error = 0, None
    source.next_poll_at = now + timedelta(seconds=source.poll_interval_seconds)
    return result


def _record_failure(source: CatalogSource, reason: str, *, now: datetime) -> None:
    # Back off across polls too: a shop that is down is asked less and less often.
    source.poll_failures += 1
    source.last_poll_error = reason[:2000]
    delay = min(timedelta(seconds=source.poll_interval_seconds) * 2 ** min(source.poll_failures, 10), MAX_BACKOFF)
    source.next_poll_at = now + delay
    logger.warning("catalog poll failed", extra={"source_id": str(source.id), "reason": reason,
                                                 "failures": source.poll_failures})


async def schedule_due(session: AsyncSession) -> dict[str, int]:
    """Beat's tick: enqueue a poll for each source whose time has come, and a daily reconciliation."""
    now = utcnow()
    sources = SourceRepository(session)
    polls = reconciles = 0
    for source in await sources.due_for_reconcile(now):
        enqueue(session, "catalog.reconcile_source", source_id=source.id)
        source.next_reconcile_at = now + RECONCILE_EVERY  # claimed, so later ticks leave it alone
        source.next_poll_at = now + timedelta(seconds=source.poll_interval_seconds)  # covers the poll
        reconciles += 1
    for source in await sources.due_for_poll(now):
        enqueue(session, "catalog.poll_source", source_id=source.id)
        # Claimed until the poll sets its own next time, so the next tick does not double it.
        source.next_poll_at = now + timedelta(seconds=source.poll_interval_seconds)
        polls += 1
    await session.flush()
    return {"polls": polls, "reconciliations": reconciles}
