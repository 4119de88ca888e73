"""Polling and reconciling a WooCommerce store through its REST API v3, against a stand-in store."""

import base64
import math
from datetime import UTC, datetime, timedelta

from mancrel.catalog import tasks
from mancrel.catalog.models import CatalogSource
from mancrel.core.permissions import Role
from tests.catalog.factories import STANDARD_SECRET, StandInServer, make_source, woo_product
from tests.factories import auth_headers, make_user

KEYS = "ck_4f1c2a9be0d3:cs_9e8d7c6b5a41"
PRODUCTS_PATH = "/wp-json/wc/v3/products"
STORE_OFFSET = timedelta(hours=2)  # the store's own time zone: `date_modified` is local, `*_gmt` is UTC
CANNOT_LIST = {"code": "woocommerce_rest_cannot_view", "message": "Sorry, you cannot list resources.",
               "data": {"status": 401}}


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def woocommerce_store(products: list[dict], *, fail_first: int = 0, total_pages_header: bool = True):
    """`GET /wp-json/wc/v3/products` as WooCommerce answers it: Basic auth with the REST keys,
    `per_page` (at most 100) and `page`, `modified_after` compared strictly (to the store's
    local times unless `dates_are_gmt`), status `any` leaving out the trash, `orderby`/`order`,
    and the `X-WP-Total` / `X-WP-TotalPages` headers."""
    calls = {"n": 0}
    expected = "Basic " + base64.b64encode(KEYS.encode()).decode()

    def handler(path, query, headers):
        calls["n"] += 1
        if calls["n"] <= fail_first:
            return 503, {}, {"code": "internal_server_error", "message": "Service unavailable"}
        if path != PRODUCTS_PATH:
            return 404, {}, {"code": "rest_no_route", "message": "No route was found", "data": {"status": 404}}
        if headers.get("authorization") != expected:
            return 401, {}, CANNOT_LIST
        arg = {name: values[0] for name, values in query.items()}
        per_page, page = int(arg.get("per_page", 10)), int(arg.get("page", 1))
        if not 1 <= per_page <= 100:
            return 400, {}, {"code": "rest_invalid_param", "message": "Invalid parameter(s): per_page"}
        status = arg.get("status", "any")
        matching = [p for p in products if (p["status"] == "trash") == (status == "trash")]
        if "modified_after" in arg:
            gmt = arg.get("dates_are_gmt") == "true"
            after = _time(arg["modified_after"])
            matching = [p for p in matching
                        if (_time(p["date_modified_gmt"]) + (timedelta() if gmt else STORE_OFFSET)) > after]
        key = "date_modified_gmt" if arg.get("orderby") == "modified" else "id"
        matching.sort(key=lambda p: p[key], reverse=arg.get("order", "desc") == "desc")
        total = len(matching)
        extra = {"X-WP-Total": str(total)}
        if total_pages_header:
            extra["X-WP-TotalPages"] = str(math.ceil(total / per_page))
        return 200, extra, matching[(page - 1) * per_page:page * per_page]

    return StandInServer(handler)


async def _woo_source(db, store, *, keys: str = KEYS) -> CatalogSource:
    return await make_source(db, kind="woocommerce", currency="EUR", poll_credentials=keys,
                             poll_url=f"{store.base_url}{PRODUCTS_PATH}")


def _catalogue(n: int) -> list[dict]:
    start = datetime(2026, 11, 27, 9, tzinfo=UTC)
    return [woo_product(100 + i, name=f"Woo product {i:03d}", price=f"{10 + i}.00",
                        modified_gmt=(start + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S"))
            for i in range(n)]


async def _titles(client, admin, source) -> list[str]:
    titles, cursor = [], None
    while True:
        params = {"source_id": str(source.id), "limit": 200} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/products", params=params, headers=auth_headers(admin))).json()
        titles += [p["title"] for p in page["items"]]
        if not (cursor := page["next_cursor"]):
            return titles


def _asked(store) -> list[dict[str, str]]:
    return [{name: values[0] for name, values in query.items()} for _, query, _ in store.requests]


async def test_a_poll_reads_every_page_then_asks_only_for_what_changed(client, db) -> None:
    products = _catalogue(205)
    admin = await make_user(db, role=Role.admin)
    with woocommerce_store(products) as store:
        source = await _woo_source(db, store)
        first = await tasks.poll_source.run_async(db, source_id=source.id)
        assert first == {"fetched": 205, "written": 205, "tombstoned": 0, "drift": 0}
        assert [(q["page"], q["per_page"]) for q in _asked(store)] == [("1", "100"), ("2", "100"), ("3", "100")]
        assert "modified_after" not in _asked(store)[0]

        products[7] |= {"name": "Woo product 007 (renamed)", "price": "99.00",
                        "date_modified_gmt": "2026-11-27T12:00:00"}
        products.append(woo_product(900, name="Brand new boot", modified_gmt="2026-11-27T12:30:00"))
        store.requests.clear()
        second = await tasks.poll_source.run_async(db, source_id=source.id)

    # The newest product seen was modified at 09:03:24 (UTC); one second of overlap.
    assert _asked(store) == [{"modified_after": "2026-11-27T09:03:23", "dates_are_gmt": "true", "orderby": "modified",
                              "order": "asc", "per_page": "100", "page": "1"}]
    assert second["fetched"] == 3 and second["written"] == 2  # the one at the cursor was unchanged
    titles = await _titles(client, admin, source)
    assert len(titles) == 206 and "Woo product 007 (renamed)" in titles and "Brand new boot" in titles
    renamed = (await client.get("/api/v1/products", params={"q": "007 (renamed)"}, headers=auth_headers(admin))).json()
    assert [v["price"] for v in renamed["items"][0]["variants"]] == ["99.00"]
    shown = (await client.get(f"/api/v1/catalog/sources/{source.id}", headers=auth_headers(admin))).json()
    assert shown["last_poll_error"] is None and shown["last_poll_at"] is not None


async def test_a_change_in_the_cursors_own_second_is_not_missed(client, db) -> None:
    products = [woo_product(1, name="First", modified_gmt="2026-11-27T10:00:00")]
    admin = await make_user(db, role=Role.admin)
    with woocommerce_store(products) as store:
        source = await _woo_source(db, store)
        await tasks.poll_source.run_async(db, source_id=source.id)
        # Saved later in the same second: WooCommerce's `modified_after` is strict and to the second.
        products.append(woo_product(2, name="Second, same second", modified_gmt="2026-11-27T10:00:00"))
        result = await tasks.poll_source.run_async(db, source_id=source.id)
    assert result["written"] == 1
    assert sorted(await _titles(client, admin, source)) == ["First", "Second, same second"]


async def test_paging_ends_on_an_empty_page_when_the_store_sends_no_page_count(db) -> None:
    with woocommerce_store(_catalogue(150), total_pages_header=False) as store:
        source = await _woo_source(db, store)
        result = await tasks.poll_source.run_async(db, source_id=source.id)
    assert result["written"] == 150
    assert [q["page"] for q in _asked(store)] == ["1", "2", "3"]


async def test_wrong_keys_fail_the_poll_with_the_stores_reason_and_are_not_retried(client, db) -> None:
    admin = await make_user(db, role=Role.admin)
    with woocommerce_store(_catalogue(3)) as store:
        source = await _woo_source(db, store, keys="ck_revoked:cs_revoked")
        assert await tasks.poll_source.run_async(db, source_id=source.id) == {
            "fetched": 0, "written": 0, "tombstoned": 0, "drift": 0}
    assert len(store.requests) == 1
    shown = (await client.get(f"/api/v1/catalog/sources/{source.id}", headers=auth_headers(admin))).json()
    assert shown["last_poll_error"] == (f"{store.base_url}{PRODUCTS_PATH} answered 401 (the poll credentials were "
                                        "refused): Sorry, you cannot list resources.")
    assert await _titles(client, admin, source) == []


async def test_a_store_that_is_briefly_down_is_asked_again(db, monkeypatch) -> None:
    from mancrel.catalog import poller

    monkeypatch.setattr(poller, "BACKOFF_BASE", 0.01)  # keep the test quick; the schedule is the same
    with woocommerce_store(_catalogue(2), fail_first=2) as store:
        source = await _woo_source(db, store)
        result = await tasks.poll_source.run_async(db, source_id=source.id)
    assert result["written"] == 2 and len(store.requests) == 3
    await db.refresh(source)
    assert source.last_poll_error is None and source.poll_failures == 0


async def test_reconciliation_removes_trashed_and_deleted_products_and_a_restore_brings_one_back(client, db) -> None:
    products = _catalogue(5)
    admin = await make_user(db, role=Role.admin)
    with woocommerce_store(products) as store:
        source = await _woo_source(db, store)
        await tasks.poll_source.run_async(db, source_id=source.id)
        products[1] |= {"status": "trash", "date_modified_gmt": "2026-11-27T11:00:00"}  # its webhook was lost
        products[3] |= {"name": "Woo product 003 (changed)", "date_modified_gmt": "2026-11-27T11:00:00"}
        del products[2]  # deleted for good

        await tasks.poll_source.run_async(db, source_id=source.id)
        # A poll's listing leaves trashed and deleted products out: it cannot see them go.
        assert "Woo product 001" in await _titles(client, admin, source)

        store.requests.clear()
        result = await tasks.reconcile_source.run_async(db, source_id=source.id)
        assert _asked(store)[0] == {"per_page": "100", "page": "1", "orderby": "id", "order": "asc"}
        assert result == {"fetched": 3, "written": 0, "tombstoned": 2, "drift": 2}
        assert sorted(await _titles(client, admin, source)) == [
            "Woo product 000", "Woo product 003 (changed)", "Woo product 004"]
        health = (await client.get(f"/api/v1/catalog/sources/{source.id}/health", headers=auth_headers(admin))).json()
        assert health["live_products"] == 3 and health["last_reconcile_tombstoned"] == 2

        products[1] |= {"status": "publish", "date_modified_gmt": "2026-11-27T12:00:00"}  # restored from the trash
        await tasks.poll_source.run_async(db, source_id=source.id)
    assert "Woo product 001" in await _titles(client, admin, source)


async def test_woocommerce_poll_settings_are_checked_when_saved(client, db) -> None:
    admin = await make_user(db, role=Role.admin)
    url = "https://shop.example.com/wp-json/wc/v3/products"
    cases = [
        ({"poll_url": url, "poll_credentials": "ck_only_a_key"}, "poll_credentials"),
        ({"poll_url": url, "poll_credentials": "admin:password"}, "poll_credentials"),
        ({"poll_url": url}, "poll_credentials"),
        ({"poll_url": "http://shop.example.com/wp-json/wc/v3/products", "poll_credentials": KEYS}, "poll_url"),
    ]
    for n, (settings, field) in enumerate(cases):
        body = {"name": f"Woo {n}", "kind": "woocommerce", "webhook_secret": STANDARD_SECRET} | settings
        response = await client.post("/api/v1/catalog/sources", json=body, headers=auth_headers(admin))
        assert response.status_code == 422, settings
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == [field], response.json()

    good = {"name": "Woo shop", "kind": "woocommerce", "webhook_secret": STANDARD_SECRET, "poll_url": url,
            "poll_credentials": KEYS}
    created = await client.post("/api/v1/catalog/sources", json=good, headers=auth_headers(admin))
    assert created.status_code == 201, created.text
    assert created.json()["has_poll_credentials"] and "cs_9e8d7c6b5a41" not in created.text
    source_url = f"/api/v1/catalog/sources/{created.json()['id']}"
    bad = await client.patch(source_url, json={"poll_credentials": "cs_9e8d7c6b5a41"}, headers=auth_headers(admin))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "poll_credentials"
    cleared = await client.patch(source_url, json={"poll_credentials": None}, headers=auth_headers(admin))
    assert cleared.status_code == 422  # a poll URL without keys could never be read
    assert (await client.patch(source_url, json={"poll_interval_seconds": 900},
                               headers=auth_headers(admin))).status_code == 200
