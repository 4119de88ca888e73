"""How far behind its shop the catalogue is: only changes we know we lack count, never a quiet shop.
What an admin reads on the source's health page and what the reply gate's limit is held against."""

from datetime import timedelta

from sqlalchemy import update

from mancrel.catalog import tasks
from mancrel.catalog.freshness import freshness
from mancrel.catalog.models import CatalogEvent, Product
from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from mancrel.deadletter.models import DeadLetter, DeadLetterStatus
from tests.catalog.factories import StandInServer, dumps, events_of, make_source, standard_headers, standard_payload
from tests.factories import auth_headers, make_user

QUIET = timedelta(minutes=20)


async def _deliver(client, source, **payload) -> None:
    body = dumps(standard_payload(**payload))
    response = await client.post(f"/webhook/catalog/{source.id}", content=body, headers=standard_headers(body))
    assert response.status_code == 200, response.text


async def _age_everything(db, source, by: timedelta) -> None:
    """As if the source's last delivery (and the products it wrote) happened `by` ago."""
    await db.execute(update(CatalogEvent).where(CatalogEvent.source_id == source.id).values(
        received_at=CatalogEvent.received_at - by, processed_at=CatalogEvent.processed_at - by))
    await db.execute(update(Product).where(Product.source_id == source.id).values(updated_at=Product.updated_at - by))
    await db.flush()


async def _health(client, db, source) -> dict:
    admin = await make_user(db, role=Role.admin)
    response = await client.get(f"/api/v1/catalog/sources/{source.id}/health", headers=auth_headers(admin))
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_quiet_webhook_source_is_in_step_twenty_minutes_after_its_last_change(client, db) -> None:
    source = await make_source(db)
    await _deliver(client, source)
    await tasks.drain_events.run_async(db, source_id=source.id)
    await _age_everything(db, source, QUIET)

    health = await _health(client, db, source)
    assert health["freshness_lag_seconds"] == 0 and health["behind_because"] is None
    assert (await tasks.refresh_freshness.run_async(db))[source.name] == 0


async def test_a_source_that_never_reported_is_in_step_with_what_it_was_loaded_with(client, db) -> None:
    from mancrel.catalog.demo import DEMO_SOURCE, seed

    await seed(db)
    await db.execute(update(Product).values(updated_at=Product.updated_at - QUIET))
    health = (await _health(client, db, await _source_named(db, DEMO_SOURCE)))
    assert health["freshness_lag_seconds"] == 0 and health["live_products"] == 6


async def _source_named(db, name):
    from mancrel.catalog.repository import SourceRepository

    return await SourceRepository(db).get_by_name(name)


async def test_a_delivery_waiting_unapplied_is_how_far_behind_we_are(client, db) -> None:
    source = await make_source(db)
    await _deliver(client, source)  # stored, never drained: the worker is down
    await _age_everything(db, source, QUIET)

    health = await _health(client, db, source)
    assert 1200 <= health["freshness_lag_seconds"] < 1260
    assert "not applied yet" in health["behind_because"]


async def test_a_dead_lettered_delivery_keeps_the_source_behind_until_replayed_or_discarded(client, db) -> None:
    source = await make_source(db)
    await _deliver(client, source)
    body = b'{"type": "product.updated", "data": {"id": 7}}'  # no title, no variants: malformed
    response = await client.post(f"/webhook/catalog/{source.id}", content=body, headers=standard_headers(body))
    assert response.status_code == 200
    await tasks.drain_events.run_async(db, source_id=source.id)
    failed = [e for e in await events_of(db, source.id) if e.status == "failed"]
    assert len(failed) == 1
    # What the job runner writes when catalog.process_event gives up on it (a permanent error).
    letter = DeadLetter(task_id="t-" + str(failed[0].id), task_name="catalog.process_event",
                        kwargs={"event_id": str(failed[0].id)}, error="malformed", error_type="EventRejected",
                        traceback="", attempts=1, first_failed_at=utcnow() - QUIET, last_failed_at=utcnow() - QUIET)
    db.add(letter)
    await db.flush()

    behind = await freshness(db, source)
    assert 1200 <= behind.lag_seconds < 1260 and "Dead letters" in behind.reason
    letter.status = DeadLetterStatus.replayed  # replayed (or discarded): no longer a change we lack
    await db.flush()
    assert (await freshness(db, source)).lag_seconds == 0


async def test_refused_signatures_say_we_miss_changes_until_a_delivery_gets_through(client, db) -> None:
    source = await make_source(db)
    body = dumps(standard_payload())
    forged = standard_headers(body, secret="whsec_" + "QUJD" * 8)
    assert (await client.post(f"/webhook/catalog/{source.id}", content=body, headers=forged)).status_code == 401

    health = await _health(client, db, source)
    assert health["events_24h"]["refused"] == 1
    assert health["freshness_lag_seconds"] > 0 and "signature" in health["behind_because"]
    await _deliver(client, source)
    await tasks.drain_events.run_async(db, source_id=source.id)
    health = await _health(client, db, source)
    assert health["freshness_lag_seconds"] == 0 and health["events_24h"]["refused"] == 1


async def test_a_polled_source_is_behind_only_when_a_poll_is_overdue(client, db) -> None:
    source = await make_source(db, kind="feed", poll_url="https://shop.example.com/feed", poll_interval_seconds=300)
    source.last_poll_at = utcnow() - timedelta(minutes=4)  # within its interval: in step
    await db.flush()
    assert (await freshness(db, source)).lag_seconds == 0
    source.last_poll_at = utcnow() - QUIET  # four polls missed
    await db.flush()
    behind = await freshness(db, source)
    assert 1200 <= behind.lag_seconds < 1260 and "no successful poll" in behind.reason


async def test_a_source_whose_polls_fail_is_as_old_as_its_last_good_poll(client, db) -> None:
    def refuse(path, query, headers):
        return 401, {}, {"error": "invalid token"}

    with StandInServer(refuse) as shop:
        source = await make_source(db, kind="feed", poll_url=f"{shop.base_url}/feed", poll_credentials="t",
                                   poll_interval_seconds=3600)
        source.last_poll_at = utcnow() - QUIET  # an hourly poll: not overdue yet
        await db.flush()
        assert (await freshness(db, source)).lag_seconds == 0
        await tasks.poll_source.run_async(db, source_id=source.id)

    health = await _health(client, db, source)
    assert 1200 <= health["freshness_lag_seconds"] < 1260
    assert "polls are failing" in health["behind_because"] and "401" in health["behind_because"]


async def test_a_disabled_source_is_behind_from_when_it_stopped(client, db) -> None:
    source = await make_source(db)
    source.enabled = False
    await db.flush()
    await db.execute(update(type(source)).where(type(source).id == source.id)
                     .values(updated_at=utcnow() - QUIET))
    await db.refresh(source)
    behind = await freshness(db, source)
    assert 1200 <= behind.lag_seconds < 1260 and "disabled" in behind.reason
