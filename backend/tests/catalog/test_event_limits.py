"""Signed but oddly shaped deliveries: values our tables cannot hold fail only their own
event, with a reason, and the rest of the source's events apply."""

import asyncio
import json
import time
import uuid

import pytest
from sqlalchemy import select

from mancrel.catalog import sync, tasks
from mancrel.catalog.models import CatalogEvent, Product
from mancrel.core.db import utcnow
from mancrel.deadletter.models import DeadLetter
from mancrel.worker.models import OutboxMessage
from tests.catalog.factories import events_of, make_source, shopify_headers, standard_headers, standard_payload


def _with(external_id: str, change) -> bytes:
    payload = standard_payload(external_id, sku=f"SKU-{external_id}")
    change(payload["data"])
    return json.dumps(payload).encode()


# (what is wrong, how, a word the event's error must contain)
ODD = [
    ("NUL in a title", lambda d: d.update(title="Socks\x00"), "title"),
    ("unpaired surrogate", lambda d: d.update(vendor="\ud800"), "vendor"),
    ("vendor past its column", lambda d: d.update(vendor="v" * 201), "vendor"),
    ("id past its column", lambda d: d.update(id="x" * 201), "id"),
    ("stock past integer", lambda d: d["variants"][0].update(stock=2 ** 31), "stock"),
    ("NaN inside options", lambda d: d["variants"][0].update(options={"size": float("nan")}), "options"),
    ("NUL inside options", lambda d: d["variants"][0].update(options={"size\x00": "M"}), "options"),
    ("year 1 at +01:00", lambda d: d.update(updated_at="0001-01-01T00:00:00+01:00"), "updated_at"),
    ("year 9999 at -01:00", lambda d: d.update(updated_at="9999-12-31T23:30:00-01:00"), "updated_at"),
    ("an image URL with NUL", lambda d: d.update(images=["https://cdn.example.com/a\x00.jpg"]), "images"),
    ("a tag that is not text", lambda d: d.update(tags=[{"name": "x\x00"}]), "tags"),
]


async def _store(db, source, body: bytes, delivery: str) -> CatalogEvent:
    event = CatalogEvent(source_id=source.id, delivery_id=delivery, body=body, received_at=utcnow())
    db.add(event)
    await db.flush()
    return event


async def _products(db, source) -> set[str]:
    return set(await db.scalars(select(Product.external_id).where(Product.source_id == source.id)))


async def test_values_our_tables_cannot_hold_fail_only_their_own_events(db) -> None:
    source = await make_source(db)
    first = await _store(db, source, _with("good-1", lambda d: None), "d-first")
    odd = [await _store(db, source, _with(f"odd-{i}", change), f"d-odd-{i}") for i, (_, change, _) in enumerate(ODD)]
    # A body no JSON parser should try to build: deep nesting and a 5,000-digit number.
    nested = await _store(db, source, b'{"type": "product.updated", "data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                          "d-nested")
    huge = _with("digits", lambda d: None).replace(b'"stock": 10', b'"stock": ' + b"9" * 5000)
    digits = await _store(db, source, huge, "d-digits")
    last = await _store(db, source, _with("good-2", lambda d: None), "d-last")

    counts = await tasks.drain_events.run_async(db, source_id=source.id)

    assert counts == {"processed": 2, "failed": len(ODD) + 2}
    assert await _products(db, source) == {"good-1", "good-2"}
    stored = {event.delivery_id: event for event in await events_of(db, source.id)}
    assert stored[first.delivery_id].status == stored[last.delivery_id].status == "processed"
    for event, (what, _, word) in zip(odd, ODD, strict=True):
        assert stored[event.delivery_id].status == "failed", what
        assert word in stored[event.delivery_id].error, (what, stored[event.delivery_id].error)
    assert "nested too deeply" in stored[nested.delivery_id].error
    assert "not valid JSON" in stored[digits.delivery_id].error
    # Each failed event is handed to its own job, which dead-letters it for an admin to replay.
    handed = set(await db.scalars(select(OutboxMessage.kwargs["event_id"].astext).where(
        OutboxMessage.task_name == "catalog.process_event")))
    assert {str(event.id) for event in [*odd, nested, digits]} <= handed


async def test_a_value_the_checks_let_by_is_isolated_by_the_drains_savepoints(db, monkeypatch) -> None:
    # The database's own refusal, reached by switching the checks off: the second line of defence.
    monkeypatch.setattr(sync, "check_product", lambda product: product)
    source = await make_source(db)
    first = await _store(db, source, _with("good-1", lambda d: None), "d-1")
    bad = await _store(db, source, _with("nul", lambda d: d.update(title="So\x00cks")), "d-2")
    long = await _store(db, source, _with("long", lambda d: d.update(vendor="v" * 300)), "d-3")
    last = await _store(db, source, _with("good-2", lambda d: None), "d-4")

    assert await tasks.drain_events.run_async(db, source_id=source.id) == {"processed": 2, "failed": 2}

    stored = {event.delivery_id: event for event in await events_of(db, source.id)}
    assert [stored[e.delivery_id].status for e in (first, bad, long, last)] == ["processed", "failed", "failed",
                                                                               "processed"]
    assert stored[bad.delivery_id].error.startswith("the database refused it")
    assert "too long" in stored[long.delivery_id].error
    assert await _products(db, source) == {"good-1", "good-2"}
    embeds = await db.scalars(select(OutboxMessage).where(OutboxMessage.task_name == "ai.embed_product"))
    assert len(list(embeds)) == 2  # one embedding job per product written, none for the refused


async def test_replaying_a_refused_event_fails_it_again_with_its_reason(db) -> None:
    source = await make_source(db)
    event = await _store(db, source, _with("p-1", lambda d: d["variants"][0].update(stock=-(2 ** 31) - 1)), "d-1")

    with pytest.raises(sync.EventRejected, match="stock is out of range"):
        await tasks.process_event.run_async(db, event_id=event.id)
    await db.refresh(event)
    assert event.status == "failed" and "variants[0].stock" in event.error
    assert await _products(db, source) == set()


async def test_a_shopify_delete_timed_off_the_calendar_is_stored_and_applied(client, db) -> None:
    source = await make_source(db, kind="shopify", currency="USD")
    body = json.dumps({"id": 4242}).encode()
    headers = shopify_headers(body, topic="products/delete", triggered_at="0001-01-01T00:00:00+05:00",
                              webhook_id=str(uuid.uuid4()))

    response = await client.post(f"/webhook/catalog/{source.id}", content=body, headers=headers)

    assert response.status_code == 200, response.text
    [event] = await events_of(db, source.id)
    assert event.triggered_at is None  # the receipt time orders it instead
    assert await tasks.drain_events.run_async(db, source_id=source.id) == {"processed": 1}


async def _settled(session, source_id) -> dict[str, str]:
    rows = (await session.execute(select(CatalogEvent.delivery_id, CatalogEvent.status)
                                  .where(CatalogEvent.source_id == source_id))).all()
    await session.commit()  # end the read so the next one sees the worker's commits
    return dict(rows)


async def test_with_a_real_worker_an_odd_delivery_never_holds_up_its_source(committed_db, committed_client,
                                                                            celery_worker) -> None:
    source = await make_source(committed_db)
    await committed_db.commit()
    sent = {}
    for name, change in (("good-1", lambda d: None), ("odd", lambda d: d.update(title="Socks\x00")),
                         ("good-2", lambda d: None)):
        body = _with(name, change)
        headers = standard_headers(body, msg_id=f"msg-{name}-{uuid.uuid4().hex}")
        response = await committed_client.post(f"/webhook/catalog/{source.id}", content=body, headers=headers)
        assert response.status_code == 200, response.text
        sent[name] = headers["webhook-id"]

    deadline = time.monotonic() + 60
    while "pending" in (statuses := await _settled(committed_db, source.id)).values() or len(statuses) < 3:
        assert time.monotonic() < deadline, (statuses, celery_worker.output()[-3000:])
        await asyncio.sleep(0.2)

    assert statuses == {sent["good-1"]: "processed", sent["odd"]: "failed", sent["good-2"]: "processed"}
    assert await _products(committed_db, source) == {"good-1", "good-2"}
    odd = await committed_db.scalar(select(CatalogEvent).where(CatalogEvent.delivery_id == sent["odd"]))
    assert "title contains a NUL character" in odd.error
    # Only the odd event goes to the dead letters (replayable), never the source's drain.
    deadline = time.monotonic() + 30
    while not (letters := (await committed_db.execute(select(DeadLetter.task_name, DeadLetter.kwargs))).all()):
        await committed_db.commit()
        assert time.monotonic() < deadline
        await asyncio.sleep(0.2)
    assert letters == [("catalog.process_event", {"event_id": str(odd.id)})]
