"""The fallback poller and the daily reconciliation, against stand-in shop servers."""

from datetime import UTC, datetime
from urllib.parse import quote

from sqlalchemy import select

from mancrel.catalog import sync, tasks
from mancrel.catalog.models import CatalogSource, Product
from mancrel.core.permissions import Role
from mancrel.worker.models import OutboxMessage
from tests.catalog.factories import StandInServer, count_products, make_source, shopify_product
from tests.factories import auth_headers, make_user

TOKEN = "shpat_test_token"


def shopify_shop(products: list[dict], *, page_size: int = 2, fail_first: int = 0):
    """Shopify Admin REST products.json: `updated_at_min`, `limit`, cursor paging via Link headers."""
    calls = {"n": 0}

    def handler(path, query, headers):
        calls["n"] += 1
        if calls["n"] <= fail_first:
            return 503, {}, {"errors": "Service unavailable"}
        if headers.get("x-shopify-access-token") != TOKEN:
            return 401, {}, {"errors": "[API] Invalid API key or access token"}
        if "page_info" in query:
            offset, since = int(query["page_info"][0].split(":")[0]), query["page_info"][0].split(":", 1)[1]
        else:
            offset, since = 0, query.get("updated_at_min", [""])[0]
        matching = [p for p in products if not since or datetime.fromisoformat(p["updated_at"])
                    >= datetime.fromisoformat(since)]
        page = matching[offset:offset + page_size]
        extra = {}
        if offset + page_size < len(matching):
            url = f"{server.base_url}{path}?limit={page_size}&page_info={quote(f'{offset + page_size}:{since}')}"
            extra["Link"] = f'<{url}>; rel="next"'
        return 200, extra, {"products": page}

    server = StandInServer(handler)
    return server


def _catalogue(n: int, updated_at: str = "2026-11-27T10:00:00+00:00") -> list[dict]:
    return [shopify_product(1000 + i, title=f"Product {i:03d}", updated_at=updated_at) for i in range(n)]


async def _shopify_source(db, server) -> CatalogSource:
    return await make_source(db, kind="shopify", currency="USD", poll_credentials=TOKEN,
                             poll_url=f"{server.base_url}/admin/api/2025-10/products.json")


async def test_poller_pages_through_shopify_and_then_asks_only_for_changes(client, db) -> None:
    products = _catalogue(5)
    with shopify_shop(products) as shop:
        source = await _shopify_source(db, shop)
        result = await tasks.poll_source.run_async(db, source_id=source.id)
        assert result["fetched"] == 5 and result["written"] == 5
        assert len(shop.requests) == 3  # pages of 2, 2 and 1 followed through Link headers
        assert shop.requests[0][1]["limit"] == ["250"]

        products[3] |= {"title": "Product 003 (renamed)", "updated_at": "2026-11-27T12:00:00+00:00"}
        shop.requests.clear()
        again = await tasks.poll_source.run_async(db, source_id=source.id)

    assert shop.requests[0][1]["updated_at_min"] == ["2026-11-27T10:00:00+00:00"]
    assert again["written"] == 1  # the unchanged ones at the cursor are skipped by the guard
    rep = await make_user(db, role=Role.rep)
    listing = (await client.get("/api/v1/products", params={"source_id": str(source.id), "limit": 10},
                                headers=auth_headers(rep))).json()["items"]
    assert [p["title"] for p in listing][3] == "Product 003 (renamed)"
    await db.refresh(source)
    assert source.last_poll_at is not None and source.poll_failures == 0
    assert source.poll_cursor == datetime(2026, 11, 27, 12, tzinfo=UTC)


async def test_transient_errors_are_retried_with_backoff(db, monkeypatch) -> None:
    from mancrel.catalog import poller

    monkeypatch.setattr(poller, "BACKOFF_BASE", 0.01)  # keep the test quick; the schedule is the same
    with shopify_shop(_catalogue(1), fail_first=2) as shop:
        source = await _shopify_source(db, shop)
        result = await tasks.poll_source.run_async(db, source_id=source.id)
    assert result["written"] == 1 and len(shop.requests) == 3


async def test_a_failing_source_records_the_error_and_backs_off(db) -> None:
    with shopify_shop(_catalogue(1)) as shop:
        source = await _shopify_source(db, shop)
        source.poll_credentials_encrypted = None  # the shop answers 401: not retried
        await db.flush()
        await tasks.poll_source.run_async(db, source_id=source.id)
    await db.refresh(source)
    assert "401" in source.last_poll_error and source.poll_failures == 1
    assert (source.next_poll_at - datetime.now(UTC)).total_seconds() > source.poll_interval_seconds
    assert await count_products(db, source.id) == 0


async def test_reconciliation_tombstones_what_vanished_and_counts_drift(client, db) -> None:
    products = _catalogue(6)
    with shopify_shop(products, page_size=4) as shop:
        source = await _shopify_source(db, shop)
        await tasks.poll_source.run_async(db, source_id=source.id)
        del products[1:3]  # deleted upstream while a webhook was lost
        products[0] |= {"title": "Product 000 (changed)", "updated_at": "2026-11-27T13:00:00+00:00"}
        result = await tasks.reconcile_source.run_async(db, source_id=source.id)

    assert result == {"fetched": 4, "written": 1, "tombstoned": 2, "drift": 3}
    gone = await db.scalars(select(Product.external_id).where(Product.source_id == source.id,
                                                              Product.deleted_at.is_not(None)))
    assert sorted(gone) == ["1001", "1002"]
    admin = await make_user(db, role=Role.admin)
    health = (await client.get(f"/api/v1/catalog/sources/{source.id}/health", headers=auth_headers(admin))).json()
    assert health["last_reconcile_drift"] == 3 and health["last_reconcile_tombstoned"] == 2
    assert health["live_products"] == 4


async def test_one_poll_at_a_time_per_source(db) -> None:
    with shopify_shop(_catalogue(1)) as shop:
        source = await _shopify_source(db, shop)
        lock = sync._lock(source.id)
        assert await lock.acquire()  # another worker's poll is running
        try:
            assert await tasks.poll_source.run_async(db, source_id=source.id) is None
            assert shop.requests == []
        finally:
            await lock.release()
        assert (await tasks.poll_source.run_async(db, source_id=source.id))["written"] == 1


async def test_generic_feed_is_polled_with_updated_since_and_next_links(db) -> None:
    items = [{"id": f"f-{i}", "title": f"Feed item {i}", "updated_at": f"2026-11-27T1{i}:00:00Z", "status": "active",
              "variants": [{"id": f"f-{i}-v", "sku": f"FEED-{i}", "price": "5.00", "currency": "GBP", "stock": i}]}
             for i in range(3)]

    def handler(path, query, headers):
        if headers.get("authorization") != "Bearer feed-token":
            return 401, {}, {}
        start = int(query.get("page", ["0"])[0])
        nxt = f"{server.base_url}/feed?page={start + 2}" if start + 2 < len(items) else None
        return 200, {}, {"products": items[start:start + 2], "next": nxt}

    with StandInServer(handler) as server:
        source = await make_source(db, kind="feed", poll_url=f"{server.base_url}/feed", poll_credentials="feed-token")
        result = await tasks.poll_source.run_async(db, source_id=source.id)
        assert result["written"] == 3
        assert server.requests[0][1]["limit"] == ["1000"]
        await tasks.poll_source.run_async(db, source_id=source.id)
        assert server.requests[-2][1]["updated_since"] == ["2026-11-27T12:00:00+00:00"]


async def test_beat_tick_queues_due_reconciliations_and_polls_once(db) -> None:
    with shopify_shop(_catalogue(1)) as shop:
        source = await _shopify_source(db, shop)
        first = await tasks.schedule_polls.run_async(db)  # never reconciled: a full pull covers the poll
        second = await tasks.schedule_polls.run_async(db)
        source.next_poll_at = datetime(2026, 1, 1, tzinfo=UTC)  # its interval has passed
        await db.flush()
        third = await tasks.schedule_polls.run_async(db)
    assert (first, second, third) == ({"polls": 0, "reconciliations": 1}, {"polls": 0, "reconciliations": 0},
                                      {"polls": 1, "reconciliations": 0})
    await db.refresh(source)
    assert source.next_poll_at > datetime.now(UTC)
    assert (source.next_reconcile_at - datetime.now(UTC)).total_seconds() > 23 * 3600
    queued = await db.scalars(select(OutboxMessage.task_name).where(
        OutboxMessage.kwargs["source_id"].astext == str(source.id)))
    assert sorted(queued) == ["catalog.poll_source", "catalog.reconcile_source"]
