"""Live catalogue updates: a change the catalogue applies reaches every signed-in browser's SSE
stream (products are the whole team's), once per transaction, and only once it is committed."""

import asyncio
import uuid
from contextlib import AsyncExitStack
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from mancrel import events
from mancrel.catalog import live, service, sync
from mancrel.catalog.models import CatalogEvent, Product
from mancrel.catalog.normalise import NormalisedProduct, NormalisedVariant
from mancrel.core.db import commit, transaction, utcnow
from mancrel.core.permissions import Role
from tests.catalog.factories import dumps, make_source, shopify_product, standard_headers, standard_payload
from tests.catalog.test_poller import TOKEN, shopify_shop
from tests.events.test_sse import Stream, _connect
from tests.events.test_sse import live_url as live_url  # the real app behind uvicorn (a fixture)
from tests.factories import auth_headers, make_user
from tests.worker.helpers import eventually

SENTINEL = "test.sentinel"


async def _next_catalog_event(stream: Stream) -> dict:
    while True:
        event = await stream.next_event()
        if event["event"].startswith("product.") or event["event"] == SENTINEL:
            return event


async def _nothing_more(stream: Stream) -> None:
    """No product event is on its way: a sentinel published now is the next thing heard."""
    assert await events.publish(SENTINEL, {}, audience=None)
    assert (await _next_catalog_event(stream))["event"] == SENTINEL


async def _event_status(session, source_id, delivery_id: str) -> str | None:
    status = await session.scalar(select(CatalogEvent.status).where(
        CatalogEvent.source_id == source_id, CatalogEvent.delivery_id == delivery_id))
    await session.commit()  # end the read, so the next one sees the worker's commit
    return status


async def test_a_change_applied_by_webhook_reaches_a_reps_open_stream(committed_db, committed_client, celery_worker,
                                                                      live_url):
    source = await make_source(committed_db)
    rep = await make_user(committed_db, role=Role.rep)  # owns nothing: products are everyone's
    await commit(committed_db)
    hook = f"/webhook/catalog/{source.id}"

    async with httpx.AsyncClient(timeout=10) as http, AsyncExitStack() as stack:
        stream = await _connect(http, live_url, stack, headers=auth_headers(rep))
        body = dumps(standard_payload("live-1", price="21.00", updated_at="2026-12-01T10:00:00Z"))
        assert (await committed_client.post(hook, content=body, headers=standard_headers(body))).status_code == 200
        updated = await asyncio.wait_for(_next_catalog_event(stream), timeout=60)
        product_id = await committed_db.scalar(select(Product.id).where(Product.source_id == source.id,
                                                                        Product.external_id == "live-1"))
        await committed_db.commit()
        assert updated["event"] == "product.updated"
        assert updated["payload"] == {"product_ids": [str(product_id)], "count": 1, "truncated": False}

        # An older version is stale: applied nothing, so it tells no one anything.
        older = dumps(standard_payload("live-1", price="1.00", updated_at="2026-11-01T10:00:00Z"))
        older_headers = standard_headers(older)
        assert (await committed_client.post(hook, content=older, headers=older_headers)).status_code == 200
        async def handled():
            status = await _event_status(committed_db, source.id, older_headers["webhook-id"])
            return status if status not in (None, "pending") else None
        assert await eventually(handled, within=60) == "stale"
        await _nothing_more(stream)

        gone = dumps(standard_payload("live-1", type_="product.deleted", updated_at="2026-12-02T10:00:00Z"))
        assert (await committed_client.post(hook, content=gone, headers=standard_headers(gone))).status_code == 200
        deleted = await asyncio.wait_for(_next_catalog_event(stream), timeout=60)
        assert (deleted["event"], deleted["payload"]["product_ids"]) == ("product.deleted", [str(product_id)])


def _product(external_id: str, *, deleted: bool = False) -> NormalisedProduct:
    return NormalisedProduct(
        external_id=external_id, source_updated_at=utcnow(), title=f"Product {external_id}", deleted=deleted,
        variants=[] if deleted else [NormalisedVariant(external_id=f"{external_id}-v", sku=f"SKU-{external_id}",
                                                        price=Decimal("10.00"), currency="EUR", stock=3)])


async def test_one_event_per_kind_per_transaction_and_none_before_commit_or_after_rollback(
        committed_db, live_url, monkeypatch):
    source = await make_source(committed_db)
    rep = await make_user(committed_db, role=Role.rep)
    await commit(committed_db)
    source_id = source.id  # the rollback below expires the object
    monkeypatch.setattr(service, "UPSERT_BATCH", 2)  # several upsert batches in one transaction

    async with httpx.AsyncClient(timeout=10) as http, AsyncExitStack() as stack:
        stream = await _connect(http, live_url, stack, headers=auth_headers(rep))
        with pytest.raises(RuntimeError):
            async with transaction(committed_db):
                await service.apply_products(committed_db, source_id=source_id, products=[_product("t-9")])
                raise RuntimeError("the job failed after writing")
        await _nothing_more(stream)  # rolled back: nothing was saved, nothing is announced

        written = await service.apply_products(committed_db, source_id=source_id,
                                               products=[_product(f"t-{i}") for i in range(5)])
        await service.apply_products(committed_db, source_id=source_id,
                                     products=[_product("t-5"), _product("t-0", deleted=True)])
        await _nothing_more(stream)  # not before the commit
        await commit(committed_db)
        updated = await asyncio.wait_for(_next_catalog_event(stream), timeout=10)
        deleted = await asyncio.wait_for(_next_catalog_event(stream), timeout=10)
        await _nothing_more(stream)

    assert updated["event"] == "product.updated" and updated["payload"]["count"] == 5  # t-1..t-5: t-0 went
    assert str(written["t-0"][0]) not in updated["payload"]["product_ids"]
    assert (deleted["event"], deleted["payload"]["product_ids"]) == ("product.deleted", [str(written["t-0"][0])])


def test_a_huge_change_names_some_products_and_says_it_is_truncated():
    payload = live.payload_for({uuid.uuid4() for _ in range(live.MAX_IDS + 5)})
    assert (len(payload["product_ids"]), payload["count"], payload["truncated"]) == (live.MAX_IDS, live.MAX_IDS + 5,
                                                                                     True)


async def test_a_reconciliation_announces_what_vanished_upstream(committed_db, live_url):
    products = [shopify_product(2000 + i, title=f"Product {i}") for i in range(3)]
    rep = await make_user(committed_db, role=Role.rep)
    with shopify_shop(products, page_size=10) as shop:
        source = await make_source(committed_db, kind="shopify", currency="USD", poll_credentials=TOKEN,
                                   poll_url=f"{shop.base_url}/admin/api/2025-10/products.json")
        await commit(committed_db)
        await sync.poll(committed_db, source.id)
        await commit(committed_db)
        vanished = await committed_db.scalar(select(Product.id).where(Product.source_id == source.id,
                                                                      Product.external_id == "2001"))
        await committed_db.commit()
        async with httpx.AsyncClient(timeout=10) as http, AsyncExitStack() as stack:
            stream = await _connect(http, live_url, stack, headers=auth_headers(rep))
            del products[1]  # deleted at the shop while its webhook was lost
            assert (await sync.poll(committed_db, source.id, full=True)).tombstoned == 1
            await commit(committed_db)
            deleted = await asyncio.wait_for(_next_catalog_event(stream), timeout=10)
            await _nothing_more(stream)  # the two unchanged products were not written: no update event
    assert (deleted["event"], deleted["payload"]["product_ids"]) == ("product.deleted", [str(vanished)])
