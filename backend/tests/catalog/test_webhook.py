"""`POST /webhook/catalog/{id}` over HTTP: signatures, idempotent storage, then the job."""

import time
import uuid

from sqlalchemy import func, select

from mancrel.catalog import tasks
from mancrel.catalog.models import Product
from mancrel.core.permissions import Role
from mancrel.worker.models import OutboxMessage
from tests.catalog.factories import (
    SHOP_SECRET,
    STANDARD_SECRET,
    count_events,
    dumps,
    events_of,
    make_source,
    shopify_headers,
    shopify_product,
    standard_headers,
    standard_payload,
    woo_headers,
)
from tests.factories import auth_headers, make_user


async def _jobs(db, task_name: str, **kwargs) -> int:
    rows = await db.scalars(select(OutboxMessage).where(OutboxMessage.task_name == task_name))
    return sum(1 for m in rows if m.kwargs == {k: str(v) for k, v in kwargs.items()})


async def _process_all(db, source_id) -> list[str]:
    """Run the drain job the intake enqueued; the statuses of the source's events."""
    await tasks.drain_events.run_async(db, source_id=source_id)
    return [e.status for e in await events_of(db, source_id)]


async def test_standard_delivery_is_stored_with_its_job_and_becomes_a_readable_product(client, db) -> None:
    source = await make_source(db)
    rep = await make_user(db, role=Role.rep)
    body = dumps(standard_payload("sock-1", price="18.50", stock=7))

    response = await client.post(f"/webhook/catalog/{source.id}", content=body, headers=standard_headers(body))

    assert response.status_code == 200, response.text
    [event] = await events_of(db, source.id)
    assert uuid.UUID(response.json()["event_id"]) == event.id and event.body == body
    assert await _jobs(db, "catalog.drain_events", source_id=source.id) == 1
    assert await _process_all(db, source.id) == ["processed"]
    listing = await client.get("/api/v1/products", params={"sku": "SOCK-MER-M"}, headers=auth_headers(rep))
    [product] = listing.json()["items"]
    assert product["title"] == "Merino Hiking Socks"
    assert product["description"] == "Warm & soft"
    assert product["variants"][0]["price"] == "18.50" and product["variants"][0]["stock"] == 7


async def test_shopify_delivery_end_to_end(client, db) -> None:
    source = await make_source(db, kind="shopify", currency="USD")
    admin = await make_user(db, role=Role.admin)
    body = dumps(shopify_product(4242, price="21.00"))

    response = await client.post(f"/webhook/catalog/{source.id}", content=body,
                                 headers=shopify_headers(body, topic="products/create"))

    assert response.status_code == 200
    assert await _process_all(db, source.id) == ["processed"]
    [product] = (await client.get("/api/v1/products", params={"source_id": str(source.id)},
                                  headers=auth_headers(admin))).json()["items"]
    assert product["external_id"] == "4242" and product["tags"] == ["merino", "hiking"]
    assert product["variants"][0] | {"id": None} == {
        "id": None, "external_id": "42421", "sku": "SKU-4242", "title": "M", "price": "21.00",
        "compare_at_price": None, "currency": "USD", "stock": 12, "options": {"option1": "M"}}


async def test_woocommerce_delivery_end_to_end_and_unsigned_ping(client, db) -> None:
    source = await make_source(db, kind="woocommerce")
    ping = await client.post(f"/webhook/catalog/{source.id}", content=b"webhook_id=7",
                             headers={"content-type": "application/x-www-form-urlencoded"})
    assert ping.status_code == 200 and ping.json() == {"status": "ping"}
    assert await count_events(db, source.id) == 0

    body = dumps({"id": 99, "name": "Trail Runner Shoe", "status": "publish", "sku": "SHOE-TR-42", "price": "119.00",
                  "regular_price": "129.00", "sale_price": "119.00", "stock_quantity": 3,
                  "date_modified_gmt": "2026-11-27T10:00:00", "description": "<p>Light</p>",
                  "tags": [{"id": 1, "name": "trail"}], "images": [{"src": "https://cdn.example.com/shoe.jpg"}]})
    response = await client.post(f"/webhook/catalog/{source.id}", content=body, headers=woo_headers(body))
    assert response.status_code == 200
    assert await _process_all(db, source.id) == ["processed"]
    product = await db.scalar(select(Product).where(Product.source_id == source.id))
    assert (product.title, product.status, product.tags) == ("Trail Runner Shoe", "active", ["trail"])


async def test_wrong_missing_and_stale_signatures_answer_401_and_store_nothing(client, db) -> None:
    source = await make_source(db)
    body = dumps(standard_payload())
    url = f"/webhook/catalog/{source.id}"
    wrong = standard_headers(body, secret="whsec_" + "d3Jvbmctc2VjcmV0LWtleS1ieXRlcw==")
    missing = {k: v for k, v in standard_headers(body).items() if k != "webhook-signature"}
    stale = standard_headers(body, timestamp=int(time.time()) - 600)
    tampered = standard_headers(body)

    for headers, content in ((wrong, body), (missing, body), (stale, body), (tampered, body + b" ")):
        response = await client.post(url, content=content, headers=headers)
        assert response.status_code == 401, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    assert await count_events(db, source.id) == 0

    shop = await make_source(db, kind="shopify")
    body = dumps(shopify_product())
    response = await client.post(f"/webhook/catalog/{shop.id}", content=body,
                                 headers=shopify_headers(body, secret="not-the-secret"))
    assert response.status_code == 401
    assert await count_events(db, shop.id) == 0


async def test_unknown_source_is_404(client) -> None:
    body = dumps(standard_payload())
    for source_id in (uuid.uuid4(), "not-a-uuid"):
        response = await client.post(f"/webhook/catalog/{source_id}", content=body, headers=standard_headers(body))
        assert response.status_code == 404


async def test_replayed_delivery_answers_2xx_and_is_stored_and_processed_once(client, db) -> None:
    source = await make_source(db)
    admin = await make_user(db, role=Role.admin)
    body = dumps(standard_payload("sock-1"))
    headers = standard_headers(body, msg_id="msg_replayed")

    first = await client.post(f"/webhook/catalog/{source.id}", content=body, headers=headers)
    again = await client.post(f"/webhook/catalog/{source.id}", content=body, headers=headers)

    assert first.status_code == again.status_code == 200
    assert again.json() == {"status": "duplicate"}
    assert await count_events(db, source.id) == 1
    assert await _jobs(db, "catalog.drain_events", source_id=source.id) == 1
    assert await _process_all(db, source.id) == ["processed"]
    # The same jobs delivered again (at-least-once) leave the product as it was.
    [event] = await events_of(db, source.id)
    assert await tasks.drain_events.run_async(db, source_id=source.id) == {}
    assert await tasks.process_event.run_async(db, event_id=event.id) == "processed"
    health = (await client.get(f"/api/v1/catalog/sources/{source.id}/health", headers=auth_headers(admin))).json()
    assert health["events_24h"] | {} == {"received": 1, "processed": 1, "stale": 0, "failed": 0, "pending": 0,
                                         "duplicate": 1, "refused": 0}


async def test_secret_rotation_accepts_old_and_new_until_the_grace_ends(client, db) -> None:
    source = await make_source(db)
    admin = await make_user(db, role=Role.admin)
    new_secret = "whsec_" + "bmV3LXNlY3JldC1rZXktYnl0ZXMtMTIz"
    patched = await client.patch(f"/api/v1/catalog/sources/{source.id}", json={"webhook_secret": new_secret},
                                 headers=auth_headers(admin))
    assert patched.status_code == 200 and new_secret[6:] not in patched.text
    assert patched.json()["previous_secret_expires_at"] is not None

    for secret in (STANDARD_SECRET, new_secret):
        body = dumps(standard_payload(f"p-{secret[-4:]}"))
        response = await client.post(f"/webhook/catalog/{source.id}", content=body,
                                     headers=standard_headers(body, secret=secret))
        assert response.status_code == 200, secret

    await db.refresh(source)
    source.previous_secret_expires_at = source.previous_secret_expires_at.replace(year=2025)  # grace over
    await db.flush()
    body = dumps(standard_payload("p-late"))
    late = await client.post(f"/webhook/catalog/{source.id}", content=body, headers=standard_headers(body))
    assert late.status_code == 401
    assert await count_events(db, source.id) == 2


async def test_shopify_rotation_accepts_the_previous_client_secret(client, db) -> None:
    source = await make_source(db, kind="shopify")
    admin = await make_user(db, role=Role.admin)
    await client.patch(f"/api/v1/catalog/sources/{source.id}", json={"webhook_secret": "shpss_rotated_secret"},
                       headers=auth_headers(admin))
    for secret in (SHOP_SECRET, "shpss_rotated_secret"):
        body = dumps(shopify_product())
        response = await client.post(f"/webhook/catalog/{source.id}", content=body,
                                     headers=shopify_headers(body, secret=secret))
        assert response.status_code == 200


async def test_body_over_one_megabyte_is_refused(client, db) -> None:
    source = await make_source(db)
    body = b'{"pad": "' + b"x" * (1024 * 1024) + b'"}'
    response = await client.post(f"/webhook/catalog/{source.id}", content=body, headers=standard_headers(body))
    assert response.status_code == 413
    assert await count_events(db, source.id) == 0


async def test_malformed_json_is_acknowledged_then_fails_with_its_reason_and_writes_no_product(client, db) -> None:
    source = await make_source(db)
    admin = await make_user(db, role=Role.admin)
    body = b'{"type": "product.updated", "data": {"id": "p-1", "title": "Socks"'  # cut short
    response = await client.post(f"/webhook/catalog/{source.id}", content=body, headers=standard_headers(body))
    assert response.status_code == 200

    assert await _process_all(db, source.id) == ["failed"]
    [event] = await events_of(db, source.id)
    # The drain hands the event to its own job, which dead-letters it (replayable).
    assert await _jobs(db, "catalog.process_event", event_id=event.id) == 1
    try:
        await tasks.process_event.run_async(db, event_id=event.id)
    except Exception as exc:  # a PermanentError: the job goes to the dead letters, not to retries
        assert "not valid JSON" in str(exc)
    else:
        raise AssertionError("a malformed event must not pass")
    assert await db.scalar(select(func.count()).select_from(Product).where(Product.source_id == source.id)) == 0
    failed = (await client.get(f"/api/v1/catalog/sources/{source.id}/events", params={"status": "failed"},
                               headers=auth_headers(admin))).json()["items"]
    assert len(failed) == 1 and "not valid JSON" in failed[0]["error"]
