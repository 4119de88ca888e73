"""Polling and reconciling a WooCommerce store through its REST API v3, against a stand-in store."""

import base64
import math
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mancrel.catalog import poller, tasks
from mancrel.catalog.models import CatalogSource
from mancrel.core.permissions import Role
from mancrel.worker.errors import is_transient
from mancrel.worker.models import OutboxMessage
from tests.catalog.factories import (
    STANDARD_SECRET,
    StandInServer,
    dumps,
    events_of,
    make_source,
    woo_headers,
    woo_product,
)
from tests.factories import auth_headers, make_user

KEYS = "ck_4f1c2a9be0d3:cs_9e8d7c6b5a41"
PRODUCTS_PATH = "/wp-json/wc/v3/products"
VARIATIONS_PATH = re.compile(r"^/wp-json/wc/v3/products/(\d+)/variations$")
STORE_OFFSET = timedelta(hours=2)  # the store's own time zone: `date_modified` is local, `*_gmt` is UTC
CANNOT_LIST = {"code": "woocommerce_rest_cannot_view", "message": "Sorry, you cannot list resources.",
               "data": {"status": 401}}


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _wp_page(items: list[dict], arg: dict[str, str], *, total_pages_header: bool):
    """One page as the WP REST API answers it: `per_page` (at most 100), `page`, and the
    `X-WP-Total` / `X-WP-TotalPages` headers."""
    per_page, page = int(arg.get("per_page", 10)), int(arg.get("page", 1))
    if not 1 <= per_page <= 100:
        return 400, {}, {"code": "rest_invalid_param", "message": "Invalid parameter(s): per_page"}
    extra = {"X-WP-Total": str(len(items))}
    if total_pages_header:
        extra["X-WP-TotalPages"] = str(math.ceil(len(items) / per_page))
    return 200, extra, items[(page - 1) * per_page:page * per_page]


def woocommerce_store(products: list[dict], *, variations: dict[int, list[dict]] | None = None,
                      fail_first: int = 0, total_pages_header: bool = True):
    """`GET /wp-json/wc/v3/products` as WooCommerce answers it: Basic auth with the REST keys,
    paging, `modified_after` compared strictly (to the store's local times unless
    `dates_are_gmt`), `include` (ids, comma-separated), status `any` leaving out the trash,
    `orderby`/`order`. And `GET /wp-json/wc/v3/products/<id>/variations` with `variations`
    by product id, paged the same way. The first `fail_first` requests (or, set later, the next
    `store.fail_next`) get a 503."""
    expected = "Basic " + base64.b64encode(KEYS.encode()).decode()

    def handler(path, query, headers):
        if store.fail_next > 0:
            store.fail_next -= 1
            return 503, {}, {"code": "internal_server_error", "message": "Service unavailable"}
        variable = VARIATIONS_PATH.match(path)
        if path != PRODUCTS_PATH and not variable:
            return 404, {}, {"code": "rest_no_route", "message": "No route was found", "data": {"status": 404}}
        if headers.get("authorization") != expected:
            return 401, {}, CANNOT_LIST
        arg = {name: values[0] for name, values in query.items()}
        if variable:
            return _wp_page((variations or {}).get(int(variable[1]), []), arg, total_pages_header=total_pages_header)
        status = arg.get("status", "any")
        matching = [p for p in products if (p["status"] == "trash") == (status == "trash")]
        if "include" in arg:
            wanted = {int(i) for i in arg["include"].split(",")}
            matching = [p for p in matching if p["id"] in wanted]
        if "modified_after" in arg:
            gmt = arg.get("dates_are_gmt") == "true"
            after = _time(arg["modified_after"])
            matching = [p for p in matching
                        if (_time(p["date_modified_gmt"]) + (timedelta() if gmt else STORE_OFFSET)) > after]
        key = "date_modified_gmt" if arg.get("orderby") == "modified" else "id"
        matching.sort(key=lambda p: p[key], reverse=arg.get("order", "desc") == "desc")
        return _wp_page(matching, arg, total_pages_header=total_pages_header)

    store = StandInServer(handler)
    store.fail_next = fail_first
    return store


def woo_variable(product_id: int, *, name: str, variation_ids: list[int],
                 modified_gmt: str = "2026-11-27T10:00:00") -> dict:
    """A variable product as the products listing gives it: its variations by id only."""
    return woo_product(product_id, name=name, modified_gmt=modified_gmt) | {
        "type": "variable", "price": "25.00", "regular_price": "", "sale_price": "", "stock_quantity": None,
        "variations": variation_ids,
        "attributes": [{"id": 1, "name": "Size", "variation": True, "options": ["M", "L"]},
                       {"id": 2, "name": "Colour", "variation": True, "options": ["Red", "Blue"]}]}


def woo_variation(variation_id: int, *, size: str, colour: str, price: str, stock: int | None,
                  stock_status: str = "instock", status: str = "publish") -> dict:
    """A variation as `GET products/<id>/variations` gives it (REST API v3)."""
    return {"id": variation_id, "sku": f"TEE-{size}-{colour.upper()}", "price": price, "regular_price": price,
            "sale_price": "", "on_sale": False, "status": status, "manage_stock": stock is not None,
            "stock_quantity": stock, "stock_status": stock_status, "date_modified_gmt": "2026-11-27T10:00:00",
            "attributes": [{"id": 1, "name": "Size", "option": size}, {"id": 2, "name": "Colour", "option": colour}]}


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


def _tee_store():
    products = [woo_variable(300, name="Festival Tee", variation_ids=[301, 302, 303, 304, 305])]
    variations = {300: [woo_variation(301, size="M", colour="Red", price="25.00", stock=4),
                        woo_variation(302, size="L", colour="Red", price="27.50", stock=0, stock_status="outofstock"),
                        # Stock not counted for this one, and none left.
                        woo_variation(303, size="M", colour="Blue", price="25.00", stock=None,
                                      stock_status="outofstock"),
                        woo_variation(304, size="L", colour="Blue", price="27.50", stock=9, status="private"),
                        woo_variation(305, size="S", colour="Red", price="", stock=5)]}
    return products, variations


async def _variants(client, admin, q: str) -> list[tuple]:
    [product] = (await client.get("/api/v1/products", params={"q": q}, headers=auth_headers(admin))).json()["items"]
    return [(v["sku"], v["price"], v["stock"], v["options"]) for v in product["variants"]]


async def test_a_variable_product_shows_each_variations_own_sku_price_and_stock(client, db) -> None:
    products, variations = _tee_store()
    admin = await make_user(db, role=Role.admin)
    with woocommerce_store(products, variations=variations) as store:
        source = await _woo_source(db, store)
        assert (await tasks.poll_source.run_async(db, source_id=source.id))["written"] == 1
        # Neither the disabled (private) variation nor the one without a price is for sale.
        assert await _variants(client, admin, "Festival Tee") == [
            ("TEE-M-RED", "25.00", 4, {"Size": "M", "Colour": "Red"}),
            ("TEE-L-RED", "27.50", 0, {"Size": "L", "Colour": "Red"}),
            ("TEE-M-BLUE", "25.00", 0, {"Size": "M", "Colour": "Blue"})]

        # Saving a variation saves its parent too (WooCommerce syncs the variable product).
        variations[300][1] |= {"price": "24.00", "regular_price": "24.00", "stock_quantity": 6,
                               "stock_status": "instock", "date_modified_gmt": "2026-11-27T11:00:00"}
        products[0]["date_modified_gmt"] = "2026-11-27T11:00:00"
        assert (await tasks.poll_source.run_async(db, source_id=source.id))["written"] == 1
    assert (await _variants(client, admin, "Festival Tee"))[1] == ("TEE-L-RED", "24.00", 6,
                                                                   {"Size": "L", "Colour": "Red"})
    asked = [(path, q["page"][0]) for path, q, _ in store.requests if path != PRODUCTS_PATH]
    assert asked == [(f"{PRODUCTS_PATH}/300/variations", "1")] * 2


async def test_a_variable_products_variations_are_read_page_by_page(client, db) -> None:
    colours = [f"Shade {n:03d}" for n in range(130)]
    products = [woo_variable(400, name="Rainbow Tee", variation_ids=list(range(1000, 1130)))]
    variations = {400: [woo_variation(1000 + n, size="M", colour=c, price=f"{20 + n}.00", stock=n)
                        for n, c in enumerate(colours)]}
    admin = await make_user(db, role=Role.admin)
    with woocommerce_store(products, variations=variations) as store:
        source = await _woo_source(db, store)
        await tasks.poll_source.run_async(db, source_id=source.id)
    shown = await _variants(client, admin, "Rainbow Tee")
    assert len(shown) == 130 and shown[129] == ("TEE-M-SHADE 129", "149.00", 129, {"Size": "M", "Colour": "Shade 129"})
    assert [(q["page"], q["per_page"]) for q in _asked(store) if "orderby" not in q] == [("1", "100"), ("2", "100")]


async def test_a_variable_products_webhook_is_caught_up_with_its_variations_from_the_store(client, db) -> None:
    products, variations = _tee_store()
    admin = await make_user(db, role=Role.admin)
    with woocommerce_store(products, variations=variations) as store:
        source = await _woo_source(db, store)
        await tasks.poll_source.run_async(db, source_id=source.id)
        variations[300][0] |= {"price": "22.00", "regular_price": "22.00", "date_modified_gmt": "2026-11-27T12:00:00"}
        products[0] |= {"name": "Festival Tee 2026", "date_modified_gmt": "2026-11-27T12:00:00"}
        body = dumps(products[0])  # the product as its webhook sends it: variations by id only
        response = await client.post(f"/webhook/catalog/{source.id}", content=body, headers=woo_headers(body))
        assert response.status_code == 200
        await tasks.drain_events.run_async(db, source_id=source.id)

        # The delivery alone would put the parent's summary price in place of the variations.
        assert [e.status for e in await events_of(db, source.id)] == ["processed"]
        assert [sku for sku, *_ in await _variants(client, admin, "Festival Tee")] == [
            "TEE-M-RED", "TEE-L-RED", "TEE-M-BLUE"]
        [job] = await db.scalars(select(OutboxMessage).where(OutboxMessage.task_name == "catalog.refresh_products"))
        assert job.kwargs == {"source_id": str(source.id), "external_ids": ["300"]}

        store.requests.clear()
        assert await tasks.refresh_products.run_async(db, **job.kwargs) == {"written": 1}
        assert _asked(store)[0]["include"] == "300"
        assert await tasks.refresh_products.run_async(db, **job.kwargs) == {"written": 0}  # run twice: no change
    [product] = (await client.get("/api/v1/products", params={"q": "Festival Tee 2026"},
                                  headers=auth_headers(admin))).json()["items"]
    assert [(v["sku"], v["price"]) for v in product["variants"]] == [
        ("TEE-M-RED", "22.00"), ("TEE-L-RED", "27.50"), ("TEE-M-BLUE", "25.00")]


async def test_a_variable_products_refresh_is_retried_while_the_store_is_down(client, db, monkeypatch) -> None:
    monkeypatch.setattr(poller, "BACKOFF_BASE", 0.01)  # keep the test quick; the schedule is the same
    products, variations = _tee_store()
    admin = await make_user(db, role=Role.admin)
    with woocommerce_store(products, variations=variations) as store:
        source = await _woo_source(db, store)
        await tasks.poll_source.run_async(db, source_id=source.id)
        variations[300][0] |= {"price": "22.00", "regular_price": "22.00", "date_modified_gmt": "2026-11-27T12:00:00"}
        products[0] |= {"date_modified_gmt": "2026-11-27T12:00:00"}
        kwargs = {"source_id": source.id, "external_ids": ["300"]}

        store.fail_next = 100  # down through every one of the poller's own attempts
        with pytest.raises(poller.StoreUnavailable) as failure:
            await tasks.refresh_products.run_async(db, **kwargs)
        assert is_transient(failure.value)  # so the job is retried with backoff, not dropped
        assert [sku for sku, price, *_ in await _variants(client, admin, "Festival Tee")
                if price == "22.00"] == []

        store.fail_next = 0  # back up: the retry catches the product up
        assert await tasks.refresh_products.run_async(db, **kwargs) == {"written": 1}
        assert (await _variants(client, admin, "Festival Tee"))[0][:2] == ("TEE-M-RED", "22.00")


async def test_a_refresh_the_store_refuses_is_dead_lettered_not_retried(client, db) -> None:
    products, variations = _tee_store()
    with woocommerce_store(products, variations=variations) as store:
        source = await _woo_source(db, store, keys="ck_revoked:cs_revoked")
        with pytest.raises(poller.PollError, match="credentials were refused") as failure:
            await tasks.refresh_products.run_async(db, source_id=source.id, external_ids=["300"])
    assert not is_transient(failure.value)  # retrying cannot fix revoked keys: replay once they are fixed
