"""Products and sources over the API: roles, filters, write-only secrets, health and metrics."""

import uuid
from datetime import timedelta
from decimal import Decimal

from mancrel.catalog import service
from mancrel.catalog.demo import seed
from mancrel.catalog.normalise import NormalisedProduct, NormalisedVariant
from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from tests.catalog.factories import STANDARD_SECRET, make_source
from tests.factories import auth_headers, make_user


def _product(ext: str, title: str, *variants: tuple[str, str, int | None], status: str = "active") -> NormalisedProduct:
    from datetime import UTC, datetime
    return NormalisedProduct(external_id=ext, title=title, status=status,
                             source_updated_at=datetime(2026, 11, 27, tzinfo=UTC),
                             variants=[NormalisedVariant(external_id=sku, sku=sku, price=Decimal(price), currency="EUR",
                                                         stock=stock) for sku, price, stock in variants])


async def _catalogue(db):
    source = await make_source(db)
    await service.apply_products(db, source_id=source.id, products=[
        _product("1", "Merino Hiking Socks", ("SOCK-M", "18.00", 5), ("SOCK-L", "18.00", 0)),
        _product("2", "Rain Jacket", ("JKT-M", "149.00", 0)),
        _product("3", "Trekking Poles", ("POLE", "119.00", 2), status="draft"),
        _product("4", "Water Bottle", ("BTL", "34.00", 9)),
    ])
    return source


async def _titles(client, user, **params) -> list[str]:
    response = await client.get("/api/v1/products", params=params, headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return [p["title"] for p in response.json()["items"]]


async def test_product_filters_every_role_can_use(client, db) -> None:
    source = await _catalogue(db)
    rep = await make_user(db, role=Role.rep)
    mine = {"source_id": str(source.id)}
    assert await _titles(client, rep, **mine) == [
        "Merino Hiking Socks", "Rain Jacket", "Trekking Poles", "Water Bottle"]
    assert await _titles(client, rep, q="merino", **mine) == ["Merino Hiking Socks"]
    assert await _titles(client, rep, q="sock-l", **mine) == ["Merino Hiking Socks"]
    assert await _titles(client, rep, sku="BTL", **mine) == ["Water Bottle"]
    assert await _titles(client, rep, in_stock="true", **mine) == ["Merino Hiking Socks", "Trekking Poles",
                                                                   "Water Bottle"]
    assert await _titles(client, rep, in_stock="false", **mine) == ["Rain Jacket"]
    assert await _titles(client, rep, min_price="30", max_price="120", **mine) == ["Trekking Poles", "Water Bottle"]
    assert await _titles(client, rep, status="draft", **mine) == ["Trekking Poles"]


async def test_product_list_pages_with_a_cursor(client, db) -> None:
    source = await _catalogue(db)
    manager = await make_user(db, role=Role.manager)
    seen, cursor = [], None
    while True:
        params = {"source_id": str(source.id), "limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/products", params=params, headers=auth_headers(manager))).json()
        seen += [p["title"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["Merino Hiking Socks", "Rain Jacket", "Trekking Poles", "Water Bottle"]
    bad = await client.get("/api/v1/products", params={"cursor": "nonsense"}, headers=auth_headers(manager))
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")


async def test_products_need_a_signed_in_user_and_unknown_ids_are_404(client, db) -> None:
    rep = await make_user(db, role=Role.rep)
    assert (await client.get("/api/v1/products")).status_code == 401
    assert (await client.get(f"/api/v1/products/{uuid.uuid4()}", headers=auth_headers(rep))).status_code == 404
    bad = await client.get("/api/v1/products", params={"min_price": "-1"}, headers=auth_headers(rep))
    assert bad.status_code == 422


async def test_sources_are_for_admins_only_and_secrets_are_never_returned(client, db) -> None:
    admin = await make_user(db, role=Role.admin)
    manager = await make_user(db, role=Role.manager)
    body = {"name": "Main shop", "kind": "shopify", "webhook_secret": "shpss_client_secret_1",
            "poll_url": "https://trailhead.myshopify.com/admin/api/2025-10/products.json",
            "poll_credentials": "shpat_secret_token", "poll_interval_seconds": 600}

    assert (await client.post("/api/v1/catalog/sources", json=body, headers=auth_headers(manager))).status_code == 403
    created = await client.post("/api/v1/catalog/sources", json=body, headers=auth_headers(admin))
    assert created.status_code == 201, created.text
    source_id = created.json()["id"]
    assert created.json()["has_webhook_secret"] and created.json()["has_poll_credentials"]
    assert created.json()["webhook_path"] == f"/webhook/catalog/{source_id}"
    for response in (created, await client.get(f"/api/v1/catalog/sources/{source_id}", headers=auth_headers(admin)),
                     await client.get("/api/v1/catalog/sources", headers=auth_headers(admin))):
        assert "shpss_client_secret_1" not in response.text and "shpat_secret_token" not in response.text
    assert (await client.get(f"/api/v1/catalog/sources/{source_id}", headers=auth_headers(manager))).status_code == 403
    assert (await client.get(f"/api/v1/catalog/sources/{source_id}/health",
                             headers=auth_headers(manager))).status_code == 403
    audit = (await client.get("/api/v1/audit", params={"entity_type": "catalog_source"},
                              headers=auth_headers(admin)))
    assert audit.status_code == 200 and "shpss_client_secret_1" not in audit.text


async def test_bad_source_settings_are_problems_and_change_nothing(client, db) -> None:
    admin = await make_user(db, role=Role.admin)
    cases = [
        {"name": "A", "kind": "standard", "webhook_secret": "not-a-whsec-secret"},
        {"name": "B", "kind": "ftp"},
        {"name": "C", "kind": "standard", "poll_url": "https://shop.example.com/feed"},
        {"name": "D", "kind": "feed", "poll_url": "not a url"},
    ]
    for body in cases:
        response = await client.post("/api/v1/catalog/sources", json=body, headers=auth_headers(admin))
        assert response.status_code == 422, body
        assert response.headers["content-type"].startswith("application/problem+json")
    listing = (await client.get("/api/v1/catalog/sources", headers=auth_headers(admin))).json()
    assert [s["name"] for s in listing["items"] if s["name"] in "ABCD"] == []
    ok = {"name": "Feed", "kind": "feed", "webhook_secret": STANDARD_SECRET}
    assert (await client.post("/api/v1/catalog/sources", json=ok, headers=auth_headers(admin))).status_code == 201
    again = await client.post("/api/v1/catalog/sources", json=ok, headers=auth_headers(admin))
    assert again.status_code == 409


async def test_health_and_freshness_gauge(client, db) -> None:
    from mancrel.catalog import tasks

    source = await _catalogue(db)
    admin = await make_user(db, role=Role.admin)
    # A feed polled every 5 minutes whose last good poll was ten minutes ago: the lag an admin
    # reads is those ten minutes, not merely some number.
    source.kind, source.poll_url, source.poll_interval_seconds = "feed", "https://shop.example.com/feed", 300
    source.last_poll_at = utcnow() - timedelta(minutes=10)
    await db.flush()
    figures = await tasks.refresh_freshness.run_async(db)
    assert 600 <= figures[source.name] < 660

    health = (await client.get(f"/api/v1/catalog/sources/{source.id}/health", headers=auth_headers(admin))).json()
    assert health["live_products"] == 4 and 600 <= health["freshness_lag_seconds"] < 660
    metrics = (await client.get("/metrics")).text
    gauge = next(line for line in metrics.splitlines()
                 if line.startswith(f'mancrel_catalog_freshness_seconds{{source="{source.name}"}}'))
    assert 600 <= float(gauge.split()[-1]) < 660


async def test_demo_catalogue_has_merino_socks_and_a_standard_source(client, db) -> None:
    await seed(db)
    await seed(db)  # idempotent: a second run changes nothing
    rep = await make_user(db, role=Role.rep)
    items = (await client.get("/api/v1/products", params={"q": "merino"}, headers=auth_headers(rep))).json()["items"]
    assert [p["title"] for p in items] == ["Merino Hiking Socks", "Merino Hiking Socks 3-Pack"]
    assert {v["sku"] for v in items[0]["variants"]} == {"SOCK-MER-S", "SOCK-MER-M", "SOCK-MER-L"}


async def test_admin_can_queue_a_poll_now(client, db) -> None:
    from sqlalchemy import select

    from mancrel.worker.models import OutboxMessage

    admin = await make_user(db, role=Role.admin)
    rep = await make_user(db, role=Role.rep)
    feed = await make_source(db, kind="feed", poll_url="https://feed.example.com/products")
    hooks_only = await make_source(db)

    assert (await client.post(f"/api/v1/catalog/sources/{feed.id}/poll", headers=auth_headers(rep))).status_code == 403
    queued = await client.post(f"/api/v1/catalog/sources/{feed.id}/poll", params={"full": "true"},
                               headers=auth_headers(admin))
    refused = await client.post(f"/api/v1/catalog/sources/{hooks_only.id}/poll", headers=auth_headers(admin))
    missing = await client.post(f"/api/v1/catalog/sources/{uuid.uuid4()}/poll", headers=auth_headers(admin))

    assert queued.status_code == 202 and refused.status_code == 422 and missing.status_code == 404
    jobs = list(await db.scalars(select(OutboxMessage.task_name).where(
        OutboxMessage.kwargs["source_id"].astext.in_([str(feed.id), str(hooks_only.id)]))))
    assert jobs == ["catalog.reconcile_source"]


async def test_a_source_without_a_secret_accepts_no_delivery(client, db) -> None:
    from tests.catalog.factories import count_events, dumps, standard_headers, standard_payload

    admin = await make_user(db, role=Role.admin)
    created = await client.post("/api/v1/catalog/sources", json={"name": "Unsigned", "kind": "standard"},
                                headers=auth_headers(admin))
    body = dumps(standard_payload())
    response = await client.post(f"/webhook/catalog/{created.json()['id']}", content=body,
                                 headers=standard_headers(body))
    assert response.status_code == 401
    assert await count_events(db, uuid.UUID(created.json()["id"])) == 0
