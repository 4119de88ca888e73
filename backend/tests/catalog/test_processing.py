"""What a processed event does to the catalogue: ordering, tombstones, variants."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from mancrel.catalog import tasks
from mancrel.catalog.models import CatalogEvent, Product
from mancrel.core.permissions import Role
from tests.catalog.factories import dumps, make_source, shopify_product, standard_payload
from tests.factories import auth_headers, make_user


async def _store(db, source, payload, *, topic=None, triggered_at=None) -> CatalogEvent:
    event = CatalogEvent(source_id=source.id, delivery_id=f"d-{uuid.uuid4()}",
                         topic=topic, body=dumps(payload), triggered_at=triggered_at)
    db.add(event)
    await db.flush()
    return event


async def _apply(db, source, payload, **kw) -> str:
    event = await _store(db, source, payload, **kw)
    return await tasks.process_event.run_async(db, event_id=event.id)


async def _product(db, source, external_id) -> Product:
    return await db.scalar(select(Product).where(Product.source_id == source.id, Product.external_id == external_id)
                           .execution_options(populate_existing=True))


async def test_an_older_update_arriving_late_never_overwrites_the_newer_one(client, db) -> None:
    source = await make_source(db)
    rep = await make_user(db, role=Role.rep)
    newer = standard_payload("p-1", title="Socks v2", price="20.00", updated_at="2026-11-27T12:00:00Z")
    older = standard_payload("p-1", title="Socks v1", price="15.00", updated_at="2026-11-27T11:00:00Z")

    assert await _apply(db, source, newer) == "processed"
    assert await _apply(db, source, older) == "stale"
    assert await _apply(db, source, newer | {"timestamp": "again"}) == "stale"  # same version: no-op

    product = (await client.get("/api/v1/products", params={"q": "Socks"}, headers=auth_headers(rep))).json()
    [item] = product["items"]
    assert item["title"] == "Socks v2" and item["variants"][0]["price"] == "20.00"


async def test_a_delete_tombstones_and_leaves_every_list(client, db) -> None:
    source = await make_source(db)
    rep = await make_user(db, role=Role.rep)
    await _apply(db, source, standard_payload("p-1", updated_at="2026-11-27T10:00:00Z"))
    product = await _product(db, source, "p-1")

    deleted = {"type": "product.deleted", "timestamp": "2026-11-27T11:00:00Z",
               "data": {"id": "p-1", "updated_at": "2026-11-27T11:00:00Z"}}
    assert await _apply(db, source, deleted) == "processed"

    assert (await _product(db, source, "p-1")).deleted_at is not None
    assert (await client.get(f"/api/v1/products/{product.id}", headers=auth_headers(rep))).status_code == 404
    assert (await client.get("/api/v1/products", params={"sku": "SOCK-MER-M"},
                             headers=auth_headers(rep))).json()["items"] == []
    # An update sent before the delete but delivered after it stays dead.
    late = standard_payload("p-1", title="Zombie", updated_at="2026-11-27T10:30:00Z")
    assert await _apply(db, source, late) == "stale"
    assert (await _product(db, source, "p-1")).deleted_at is not None


async def test_a_delete_of_an_unknown_product_is_fine_and_blocks_an_older_create(db) -> None:
    source = await make_source(db)
    deleted = {"type": "product.deleted", "timestamp": "2026-11-27T11:00:00Z",
               "data": {"id": "ghost", "updated_at": "2026-11-27T11:00:00Z"}}
    assert await _apply(db, source, deleted) == "processed"
    assert await _apply(db, source, standard_payload("ghost", updated_at="2026-11-27T10:00:00Z")) == "stale"
    assert (await _product(db, source, "ghost")).deleted_at is not None
    # A genuinely newer version brings it back.
    assert await _apply(db, source, standard_payload("ghost", updated_at="2026-11-27T12:00:00Z")) == "processed"
    revived = await _product(db, source, "ghost")
    assert revived.deleted_at is None and revived.title == "Merino Hiking Socks"


async def test_shopify_delete_uses_triggered_at_to_order_against_updates(db) -> None:
    source = await make_source(db, kind="shopify")
    await _apply(db, source, shopify_product(7, updated_at="2026-11-27T10:00:00Z"), topic="products/update")
    assert await _apply(db, source, {"id": 7}, topic="products/delete",
                        triggered_at=datetime(2026, 11, 27, 9, 0, tzinfo=UTC)) == "stale"
    assert (await _product(db, source, "7")).deleted_at is None
    assert await _apply(db, source, {"id": 7}, topic="products/delete",
                        triggered_at=datetime(2026, 11, 27, 11, 0, tzinfo=UTC)) == "processed"
    assert (await _product(db, source, "7")).deleted_at is not None


async def test_variants_follow_the_newest_version(db, client) -> None:
    source = await make_source(db)
    admin = await make_user(db, role=Role.admin)
    first = standard_payload("p-1", updated_at="2026-11-27T10:00:00Z")
    first["data"]["variants"].append({"id": "p-1-v2", "sku": "SOCK-MER-L", "price": "19.00", "currency": "EUR",
                                      "stock": 0, "options": {"size": "L"}})
    await _apply(db, source, first)
    product = await _product(db, source, "p-1")
    before = (await client.get(f"/api/v1/products/{product.id}", headers=auth_headers(admin))).json()
    assert [v["sku"] for v in before["variants"]] == ["SOCK-MER-M", "SOCK-MER-L"]

    await _apply(db, source, standard_payload("p-1", stock=3, updated_at="2026-11-27T11:00:00Z"))
    after = (await client.get(f"/api/v1/products/{product.id}", headers=auth_headers(admin))).json()
    assert [(v["sku"], v["stock"]) for v in after["variants"]] == [("SOCK-MER-M", 3)]
    assert after["variants"][0]["id"] == before["variants"][0]["id"]  # same variant, updated in place


async def test_invalid_fields_fail_the_event_and_write_nothing(db) -> None:
    source = await make_source(db)
    bad = standard_payload("p-1")
    bad["data"]["variants"][0]["price"] = "eighteen"
    event = await _store(db, source, bad)
    try:
        await tasks.process_event.run_async(db, event_id=event.id)
    except Exception as exc:
        assert "price" in str(exc)
    await db.refresh(event)
    assert event.status == "failed" and "data.variants[0].price" in event.error
    assert await _product(db, source, "p-1") is None
