"""A worker takes the next job from the first non-empty queue it serves (worker/app.py QUEUES):
a burst of enrichment jobs does not hold back what a customer waits for."""

from sqlalchemy import text

from mancrel.worker.app import QUEUES, celery_app, route_task
from tests.conftest import start_worker


def test_customer_messages_are_classified_and_answered_ahead_of_enrichment() -> None:
    assert route_task("ai.process_message", (), {}, {}) == {"queue": "messages"}
    assert route_task("reply.decide", (), {}, {}) == {"queue": "replies"}
    assert route_task("ai.embed_contact", (), {}, {}) == {"queue": "ai"}
    # The relay publishes jobs whose own publish failed: starved, it would hold them all back.
    assert route_task("outbox.relay", (), {}, {}) == {"queue": "webhooks"}
    assert QUEUES.index("webhooks") < QUEUES.index("messages") < QUEUES.index("replies") < QUEUES.index("ai")
    assert QUEUES.index("ai") < QUEUES.index("default")


async def test_queued_intake_runs_before_a_backlog_of_lower_queues(servers, clean_redis, engine, effects, tmp_path):
    # Both queues are full before the worker starts: 12 jobs on "default", then 12 on "webhooks".
    for n in range(12):
        celery_app.send_task("tests.record", kwargs={"key": f"low-{n}"}, queue="default")
    for n in range(12):
        celery_app.send_task("tests.record", kwargs={"key": f"high-{n}"}, queue="webhooks")
    worker = start_worker(servers, tmp_path / "worker.log")
    try:
        from tests.worker.helpers import eventually

        async def all_done():
            async with engine.connect() as conn:
                keys = (await conn.execute(text("SELECT key FROM worker_test_effects ORDER BY id"))).scalars().all()
            return keys if len(keys) == 24 else None

        order = await eventually(all_done, within=60, interval=0.2)
    finally:
        worker.kill()
    first = order[:12]
    # Round robin would alternate the two queues; by priority the intake jobs come first (one
    # low job may already be in hand: the worker prefetches one while starting).
    assert sum(key.startswith("high-") for key in first) >= 11, order
