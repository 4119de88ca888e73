"""`catalog.drain_events`: a source's pending deliveries applied together, in order, with
older versions never overwriting newer ones and a malformed one holding up nothing."""

import uuid
from datetime import timedelta

from sqlalchemy import select

from mancrel.catalog import sync, tasks
from mancrel.catalog.models import CatalogEvent, Product
from mancrel.core.db import utcnow
from mancrel.worker.models import OutboxMessage
from tests.catalog.factories import dumps, make_source, standard_payload


async def _store(db, source, payload, *, body: bytes | None = None, received_at=None) -> CatalogEvent:
    event = CatalogEvent(source_id=source.id, delivery_id=f"d-{uuid.uuid4()}", body=body or dumps(payload),
                         received_at=received_at or utcnow())
    db.add(event)
    await db.flush()
    return event


async def _statuses(db, events) -> list[str]:
    await db.flush()  # what the job's commit would write
    for event in events:
        await db.refresh(event)
    return [event.status for event in events]


async def _product(db, source, external_id) -> Product:
    return await db.scalar(select(Product).where(Product.source_id == source.id, Product.external_id == external_id)
                           .execution_options(populate_existing=True))


async def test_versions_of_one_product_in_one_drain_leave_the_newest(db) -> None:
    source = await make_source(db)
    at = utcnow()
    arrived = [await _store(db, source, standard_payload("p-1", title=title, updated_at=updated), received_at=at + d)
               for title, updated, d in (("v2", "2026-11-27T12:00:00Z", timedelta(0)),
                                         ("v1", "2026-11-27T11:00:00Z", timedelta(seconds=1)),
                                         ("v3", "2026-11-27T13:00:00Z", timedelta(seconds=2)))]

    assert await tasks.drain_events.run_async(db, source_id=source.id) == {"processed": 1, "stale": 2}

    assert await _statuses(db, arrived) == ["stale", "stale", "processed"]
    assert (await _product(db, source, "p-1")).title == "v3"
    # A later drain with a version older than the one held changes nothing.
    late = await _store(db, source, standard_payload("p-1", title="v2.5", updated_at="2026-11-27T12:30:00Z"))
    assert await tasks.drain_events.run_async(db, source_id=source.id) == {"stale": 1}
    assert await _statuses(db, [late]) == ["stale"]
    assert (await _product(db, source, "p-1")).title == "v3"


async def test_a_malformed_event_is_failed_with_its_reason_and_the_rest_are_applied(db) -> None:
    source = await make_source(db)
    before = await _store(db, source, standard_payload("p-1"))
    broken = await _store(db, source, {}, body=b'{"type": "product.updated", "data": {"id": "p-2"')
    bad_price = standard_payload("p-3")
    bad_price["data"]["variants"][0]["price"] = "eighteen"
    invalid = await _store(db, source, bad_price)
    after = await _store(db, source, standard_payload("p-4"))

    assert await tasks.drain_events.run_async(db, source_id=source.id) == {"processed": 2, "failed": 2}

    assert await _statuses(db, [before, broken, invalid, after]) == ["processed", "failed", "failed", "processed"]
    assert "not valid JSON" in broken.error and "data.variants[0].price" in invalid.error
    assert await _product(db, source, "p-3") is None
    # Each failed event gets its own job, which dead-letters it so an admin can replay it.
    handed_over = set(await db.scalars(select(OutboxMessage.kwargs["event_id"].astext).where(
        OutboxMessage.task_name == "catalog.process_event")))
    assert {str(broken.id), str(invalid.id)} <= handed_over


async def test_a_backlog_longer_than_one_drain_enqueues_the_next_drain(db, monkeypatch) -> None:
    source = await make_source(db)
    monkeypatch.setattr(sync, "DRAIN_LIMIT", 3)
    events = [await _store(db, source, standard_payload(f"p-{i}", sku=f"S-{i}")) for i in range(5)]

    assert await tasks.drain_events.run_async(db, source_id=source.id) == {"processed": 3}
    follow_up = await db.scalar(select(OutboxMessage).where(
        OutboxMessage.task_name == "catalog.drain_events",
        OutboxMessage.kwargs["source_id"].astext == str(source.id)))
    assert follow_up is not None
    assert await _statuses(db, events) == ["processed"] * 3 + ["pending"] * 2  # oldest first

    assert await tasks.drain_events.run_async(db, source_id=source.id) == {"processed": 2}
    assert await tasks.drain_events.run_async(db, source_id=source.id) == {}
