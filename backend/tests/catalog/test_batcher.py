"""The webhook intake's group commit, through HTTP on the real app with real commits:
concurrent deliveries share transactions, and each is stored once with its job or not at all."""

import asyncio
from contextlib import asynccontextmanager
from datetime import timedelta

from sqlalchemy import func, select, text

from mancrel.catalog.event_batcher import Outcome
from mancrel.catalog.intake import WebhookIntake, delivery
from mancrel.catalog.models import CatalogEvent
from mancrel.core.db import unit_of_work
from mancrel.worker.models import OutboxMessage
from mancrel.worker.outbox import published_soon, relay_pending
from tests.catalog.factories import dumps, make_source, standard_headers, standard_payload

# A real database error in the middle of a batch: its events are inserted, then the
# insert of their job fails.
FAIL_DRAIN_JOBS = (
    """CREATE FUNCTION test_refuse_drain_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'outbox unavailable (test)'; END $$""",
    """CREATE TRIGGER test_refuse_drain_jobs BEFORE INSERT ON outbox_messages FOR EACH ROW
       WHEN (NEW.task_name = 'catalog.drain_events') EXECUTE FUNCTION test_refuse_drain_jobs()""")
ALLOW_DRAIN_JOBS = ("DROP TRIGGER IF EXISTS test_refuse_drain_jobs ON outbox_messages",
                    "DROP FUNCTION IF EXISTS test_refuse_drain_jobs()")


async def _run(engine, statements) -> None:
    async with engine.begin() as conn:
        for statement in statements:
            await conn.execute(text(statement))


def _deliveries(count: int, prefix: str) -> list[tuple[bytes, dict[str, str]]]:
    bodies = [dumps(standard_payload(f"{prefix}-{i}", sku=f"{prefix.upper()}-{i}")) for i in range(count)]
    return [(body, standard_headers(body)) for body in bodies]


async def _post_all(client, source, deliveries):
    url = f"/webhook/catalog/{source.id}"
    return await asyncio.gather(*(client.post(url, content=body, headers=headers) for body, headers in deliveries))


async def _stored(session, source_id) -> dict[str, CatalogEvent]:
    events = await session.scalars(select(CatalogEvent).where(CatalogEvent.source_id == source_id)
                                   .execution_options(populate_existing=True))
    stored = {event.delivery_id: event for event in events}
    await session.commit()  # end the read: the next one sees later commits
    return stored


async def _drain_jobs(session, source_id) -> list[OutboxMessage]:
    jobs = list(await session.scalars(select(OutboxMessage).where(
        OutboxMessage.task_name == "catalog.drain_events",
        OutboxMessage.kwargs["source_id"].astext == str(source_id)).execution_options(populate_existing=True)))
    await session.commit()
    return jobs


async def test_concurrent_deliveries_are_each_stored_once_with_a_drain_job_in_shared_commits(
        committed_db, committed_client) -> None:
    source = await make_source(committed_db)
    await committed_db.commit()
    deliveries = _deliveries(60, "conc")

    responses = await _post_all(committed_client, source, deliveries)

    assert [r.status_code for r in responses] == [200] * 60
    assert {r.json()["status"] for r in responses} == {"accepted"}
    stored = await _stored(committed_db, source.id)
    assert set(stored) == {headers["webhook-id"] for _, headers in deliveries}
    assert {str(e.id) for e in stored.values()} == {r.json()["event_id"] for r in responses}
    assert {e.body for e in stored.values()} == {body for body, _ in deliveries}
    jobs = await _drain_jobs(committed_db, source.id)
    # One job per committed batch: the 60 acknowledgements shared far fewer transactions.
    assert 1 <= len(jobs) < 60
    await published_soon()
    assert all(job.published_at is not None for job in await _drain_jobs(committed_db, source.id))


async def test_duplicates_within_one_batch_and_across_batches_are_stored_once(committed_db, committed_client) -> None:
    source = await make_source(committed_db)
    await committed_db.commit()
    [delivery] = _deliveries(1, "dup")
    others = _deliveries(10, "other")

    together = await _post_all(committed_client, source, [delivery] * 5 + others)
    later = await _post_all(committed_client, source, [delivery] * 2)

    statuses = [r.json()["status"] for r in together[:5] + later]
    assert [r.status_code for r in together + later] == [200] * 17
    assert statuses.count("accepted") == 1 and statuses.count("duplicate") == 6
    stored = await _stored(committed_db, source.id)
    assert len(stored) == 11 and delivery[1]["webhook-id"] in stored


async def test_a_bad_signature_among_good_deliveries_is_refused_alone(committed_db, committed_client) -> None:
    source = await make_source(committed_db)
    await committed_db.commit()
    good = _deliveries(8, "good")
    forged_body = dumps(standard_payload("forged", title="Free stuff", price="0.01"))
    forged = (forged_body, standard_headers(forged_body, secret="whsec_" + "Zm9yZ2VkLXNlY3JldC1rZXktYnl0ZXM="))

    responses = await _post_all(committed_client, source, [*good[:4], forged, *good[4:]])

    assert [r.status_code for r in responses] == [200] * 4 + [401] + [200] * 4
    assert responses[4].headers["content-type"].startswith("application/problem+json")
    stored = await _stored(committed_db, source.id)
    assert set(stored) == {headers["webhook-id"] for _, headers in good}


async def test_a_failed_batch_answers_503_stores_nothing_and_the_retry_is_stored(
        committed_db, committed_client, engine) -> None:
    source = await make_source(committed_db)
    await committed_db.commit()
    deliveries = _deliveries(12, "retry")
    await _run(engine, FAIL_DRAIN_JOBS)
    try:
        refused = await _post_all(committed_client, source, deliveries)
    finally:
        await _run(engine, ALLOW_DRAIN_JOBS)

    assert [r.status_code for r in refused] == [503] * 12
    assert refused[0].headers["content-type"].startswith("application/problem+json")
    assert refused[0].headers["retry-after"] == "1"
    # The events were inserted before their job failed: the whole batch rolled back.
    assert await _stored(committed_db, source.id) == {}

    retried = await _post_all(committed_client, source, deliveries)  # the senders retry, same ids
    assert [r.json()["status"] for r in retried] == ["accepted"] * 12
    assert len(await _stored(committed_db, source.id)) == 12
    assert await committed_db.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kwargs["source_id"].astext == str(source.id))) >= 1


async def test_deliveries_acknowledged_while_the_broker_is_down_are_applied_through_the_relay(
        committed_db, committed_client, valkey_control, celery_worker) -> None:
    """The ack never waits for the broker: a delivery acknowledged when its job could not be
    published (as when the process dies right after answering) is applied once the relay
    publishes the job."""
    source = await make_source(committed_db)
    await committed_db.commit()
    deliveries = _deliveries(5, "relay")

    valkey_control.stop()
    responses = await _post_all(committed_client, source, deliveries)
    await published_soon()  # the background publish fails: the rows wait for the relay
    assert [r.status_code for r in responses] == [200] * 5
    jobs = await _drain_jobs(committed_db, source.id)
    assert jobs and all(job.published_at is None for job in jobs)

    valkey_control.start()
    async with unit_of_work() as session:  # what beat's outbox.relay job runs
        assert await relay_pending(session, older_than=timedelta(0)) >= len(jobs)
    deadline = asyncio.get_running_loop().time() + 60
    while {e.status for e in (await _stored(committed_db, source.id)).values()} != {"processed"}:
        assert asyncio.get_running_loop().time() < deadline, celery_worker.output()[-3000:]
        await asyncio.sleep(0.3)


async def test_a_delivery_arriving_while_the_writer_releases_its_connection_is_still_stored(
        committed_db, engine) -> None:
    source = await make_source(committed_db)
    await committed_db.commit()
    releasing = asyncio.Event()

    @asynccontextmanager
    async def slow_to_release():
        async with engine.connect() as connection:
            yield connection
        releasing.set()
        await asyncio.sleep(0.1)  # the writer is still running, its connection already back

    intake = WebhookIntake(slow_to_release)
    [(first_body, first_headers), (second_body, second_headers)] = _deliveries(2, "late")
    web_source = await intake.source(str(source.id))
    first = asyncio.create_task(intake.store(delivery(web_source, first_headers, first_body)))
    await releasing.wait()
    second = await asyncio.wait_for(intake.store(delivery(web_source, second_headers, second_body)), 5)

    assert (await first, second) == (Outcome.stored, Outcome.stored)
    assert len(await _stored(committed_db, source.id)) == 2
