"""Table growth: do the paths that read catalogue events, outbox rows and job completions stay
fast once months of old rows pile up? (issue #24, "found by reading" 2)

    ../../.venv/bin/python run.py [--events 2000000] [--outbox 2000000] [--completions 2000000]
                                  [--without-growth-indexes] [--ack-rate 1000]

Starts its own embedded PostgreSQL and Valkey (bench/catalog's Stack), migrates, fills the
tables with fill.py, then, against those rows:
- EXPLAIN ANALYZE of every query that reads them (plan shape, rows read, time);
- the real code paths, timed in this process: a drain of 500 fresh events of the busy
  source, the outbox relay finding 200 unpublished jobs, a job's exactly-once claim, the
  freshness refresh beat runs every 15 s, an admin's source health and events pages;
- with `--ack-rate`, the webhook ack path from loadgen.py (open loop) into one `mancrel serve`,
  with one `mancrel worker` (all queues) draining.
`--without-growth-indexes` drops migration 0014's indexes first: the "before" figures.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "catalog"))

from bench import Stack, dispose_engine, offered_load, setup_source  # noqa: E402
from fill import fill  # noqa: E402

GROWTH_INDEXES = ("ix_catalog_events_failed", "ix_catalog_events_processed")

# The statements the repositories send (catalog/repository.py, worker/outbox.py, worker/task.py),
# written out for EXPLAIN with the busy source's id as :source.
PLANS = {
    "drain: pending events, oldest first": """
        SELECT id FROM catalog_events WHERE source_id = :source AND status = 'pending'
        ORDER BY received_at, id LIMIT 500 FOR UPDATE""",
    "health: oldest pending": """
        SELECT min(received_at) FROM catalog_events WHERE source_id = :source AND status = 'pending'""",
    "health: last received": """
        SELECT max(received_at) FROM catalog_events WHERE source_id = :source""",
    "health: last processed": """
        SELECT max(processed_at) FROM catalog_events
        WHERE source_id = :source AND status IN ('processed', 'stale')""",
    "health: counts of the last 24 h": """
        SELECT status, count(*) FROM catalog_events
        WHERE source_id = :source AND received_at >= now() - interval '24 hours' GROUP BY status""",
    "events page, newest first": """
        SELECT id FROM catalog_events WHERE source_id = :source
        ORDER BY received_at DESC, id DESC LIMIT 51""",
    "events page, failed only": """
        SELECT id FROM catalog_events WHERE source_id = :source AND status = 'failed'
        ORDER BY received_at DESC, id DESC LIMIT 51""",
    "events page, deep cursor (45 days back)": """
        SELECT id FROM catalog_events WHERE source_id = :source
          AND (received_at, id) < (now() - interval '45 days', 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)
        ORDER BY received_at DESC, id DESC LIMIT 51""",
    "outbox relay: unpublished": """
        SELECT id FROM outbox_messages WHERE published_at IS NULL AND created_at < now() - interval '5 seconds'
        ORDER BY created_at LIMIT 500 FOR UPDATE SKIP LOCKED""",
    "outbox: count unpublished": """
        SELECT count(*) FROM outbox_messages WHERE published_at IS NULL""",
    "job claim": """
        INSERT INTO task_completions (task_id, task_name, completed_at) VALUES (gen_random_uuid()::text, 'x', now())
        ON CONFLICT (task_id) DO NOTHING RETURNING task_id""",
    "completions prune (nothing due)": """
        DELETE FROM task_completions WHERE completed_at < now() - interval '7 days 1 hour'""",
}


def _walk(node: dict) -> list[str]:
    name = node["Node Type"] + (f" on {node['Index Name']}" if "Index Name" in node else "")
    return [name] + [part for child in node.get("Plans", []) for part in _walk(child)]


async def explain_all(source_id: uuid.UUID) -> dict:
    from sqlalchemy import text

    from mancrel.core.db import get_engine

    figures = {}
    async with get_engine().connect() as conn:
        for label, sql in PLANS.items():
            transaction = await conn.begin()  # rolled back: the claim and prune change nothing
            (plan,) = (await conn.execute(text("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql),
                                          {"source": source_id})).scalar_one()
            await transaction.rollback()
            top = plan["Plan"]
            figures[label] = {"ms": round(plan["Execution Time"], 2), "plan": " > ".join(_walk(top)),
                              "buffers": top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)}
    return figures


async def _timed(repeat: int, run) -> dict:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        await run()
        times.append((time.perf_counter() - began) * 1000)
    return {"p50_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "runs": repeat}


async def _pending_batch(source_id: uuid.UUID, n: int, round_: int) -> None:
    """n fresh deliveries stored the way the webhook intake stores them."""
    from mancrel.catalog.event_batcher import Delivery
    from mancrel.catalog.repository import EventRepository
    from mancrel.core.db import unit_of_work, utcnow

    deliveries = []
    for i in range(n):
        body = json.dumps({"type": "product.updated", "data": {
            "id": f"fresh-{i}", "title": f"Fresh {i}", "updated_at": f"2026-12-05T10:{round_ % 60:02d}:00Z",
            "variants": [{"id": f"fresh-{i}-v", "sku": f"FRESH-{i}", "price": "20.00", "currency": "EUR",
                          "stock": 5}]}}).encode()
        deliveries.append(Delivery(id=uuid.uuid4(), source_id=source_id, delivery_id=f"r{round_}-{i}", topic=None,
                                   body=body, triggered_at=None, received_at=utcnow()))
    async with unit_of_work() as session:
        await EventRepository(session).insert_batch(deliveries)


async def code_paths(source_id: uuid.UUID) -> dict:
    from sqlalchemy import text

    from mancrel.catalog import health, sync
    from mancrel.catalog.repository import EventRepository, SourceRepository
    from mancrel.core.db import unit_of_work
    from mancrel.worker import outbox
    from mancrel.worker.task import run_job

    figures = {}
    drains = []
    for round_ in range(8):
        await _pending_batch(source_id, 500, round_)
        began = time.perf_counter()
        async with unit_of_work() as session:
            counts = await sync.drain_events(session, source_id)
        drains.append((time.perf_counter() - began) * 1000)
        assert sum(counts.values()) == 500, counts
    figures["drain of 500 events (incl. upsert, commit)"] = {
        "p50_ms": round(statistics.median(drains), 1), "max_ms": round(max(drains), 1), "runs": len(drains)}

    async def relay() -> None:
        async with unit_of_work() as session:
            await session.execute(text(
                "INSERT INTO outbox_messages (id, task_name, kwargs, created_at, publish_attempts)"
                " SELECT gen_random_uuid(), 'bench.nothing', '{}', now() - interval '10 seconds', 0"
                " FROM generate_series(1, 200)"))
        async with unit_of_work() as session:
            assert await outbox.relay_pending(session) == 200

    figures["outbox relay publishing 200 jobs (incl. broker)"] = await _timed(5, relay)

    async def noop(session) -> None:
        return None

    figures["job claim + commit (no-op job)"] = await _timed(50, lambda: run_job(noop, {}, task_id=str(uuid.uuid4()),
                                                                                   task_name="bench.noop"))

    async def refresh() -> None:
        async with unit_of_work() as session:
            await health.refresh_freshness(session)

    figures["freshness refresh (beat, every 15 s; all 21 sources)"] = await _timed(5, refresh)

    async def source_health() -> None:
        async with unit_of_work() as session:
            await health.source_health(session, await SourceRepository(session).get(source_id))

    figures["source health (admin)"] = await _timed(5, source_health)
    for status in (None, "failed"):
        async def page(status=status) -> None:
            async with unit_of_work() as session:
                await EventRepository(session).list_page(source_id, status=status, limit=50, cursor=None)

        figures[f"events page ({status or 'all'})"] = await _timed(10, page)
    return figures


async def drop_growth_indexes() -> None:
    from sqlalchemy import text

    from mancrel.core.db import unit_of_work

    async with unit_of_work() as session:
        for name in GROWTH_INDEXES:
            await session.execute(text(f"DROP INDEX IF EXISTS {name}"))


async def run(args, stack: Stack) -> dict:
    try:
        source_id, _ = await setup_source()
        if args.without_growth_indexes:
            await drop_growth_indexes()
        began = time.perf_counter()
        filled = await asyncio.to_thread(fill, stack.postgres.url, events=args.events, outbox=args.outbox,
                                         completions=args.completions, busy_source=source_id)
        result = {"benchmark": "growth", "rows": {"catalog_events": args.events, "outbox_messages": args.outbox,
                                                  "task_completions": args.completions},
                  "growth_indexes": not args.without_growth_indexes,
                  "fill_seconds": round(time.perf_counter() - began, 1), "fill": filled["seconds"]}
        result["plans"] = await explain_all(source_id)
        result["paths"] = await code_paths(source_id)
        result["load_average"] = os.getloadavg()[0]
        if args.ack_rate:
            await dispose_engine()
            stack.serve()
            stack.spawn("worker", log="worker.log")  # the default worker: every queue
            await asyncio.sleep(8)
            path = f"/webhook/catalog/{source_id}"
            offered_load(stack.port, path, rate=200, seconds=3, processes=1, prefix="warm")
            result["ack"] = offered_load(stack.port, path, rate=args.ack_rate, seconds=args.seconds, processes=2,
                                         prefix="grow")
        return result
    finally:
        await dispose_engine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--outbox", type=int, default=2_000_000)
    parser.add_argument("--completions", type=int, default=2_000_000)
    parser.add_argument("--without-growth-indexes", action="store_true")
    parser.add_argument("--ack-rate", type=float, default=0, help="offered deliveries/s for the ack run (0: none)")
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    stack = Stack()
    try:
        stack.start()
        print(json.dumps(asyncio.run(run(args, stack)), indent=1))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
