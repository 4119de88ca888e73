"""Retention: how fast `system.prune` clears months of finished rows, and how long each of its
statements holds its locks (backend/mancrel/system/retention.py, issue #23 point 7).

    ../../.venv/bin/python run.py [--events 1000000] [--outbox 1000000] [--completions 200000]
                                  [--inbound 300000] [--batch 5000]

Starts its own embedded PostgreSQL and Valkey (bench/catalog's Stack), migrates, fills the
tables as 90 days of traffic leave them (bench/growth/fill.py, plus processed mail deliveries
over the same 90 days), then runs the retention rules with the default periods one committed
batch at a time, as the job does, timing every statement. Then a second run: the steady state
of an hourly job with nothing (or an hour's worth) to delete.
"""

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "catalog"))
sys.path.insert(0, str(HERE.parent / "growth"))

from bench import Stack, dispose_engine, percentile  # noqa: E402
from fill import _chunks, fill  # noqa: E402

_INBOUND = """
INSERT INTO inbound_events (id, channel_id, dedupe_key, provider, content_type, body, status, received_at,
                            processed_at)
SELECT gen_random_uuid(), %(channel)s::uuid, '<m' || g || '@customer.example>', 'mailgun',
       'application/x-www-form-urlencoded', convert_to(repeat('mail body ', 300), 'UTF8'), 'processed', t,
       t + interval '80 milliseconds'
FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g,
     LATERAL (SELECT now() - interval '90 days' + (g::float8 / %(total)s) * interval '90 days'
                     - interval '1 minute' AS t) AS times
"""


def fill_inbound(url: str, total: int) -> float:
    import uuid

    import psycopg

    channel = uuid.uuid4()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO channels (id, kind, name, settings) VALUES (%s, 'email', %s, "
                     "'{\"address\": \"shop@example.com\", \"inbound\": \"mailgun\"}'::jsonb)",
                     (channel, f"bench-{channel.hex[:6]}"))
        seconds = _chunks(conn, _INBOUND, total, {"channel": channel}, "inbound_events")
        conn.execute("VACUUM ANALYZE inbound_events")
    return seconds


async def timed_prune(batch: int) -> dict:
    """The job's loop (retention.prune), with each statement timed."""
    from mancrel.core.db import unit_of_work
    from mancrel.system import retention

    report = {}
    for rule in retention.rules(retention.configured_days()):
        times, deleted, began = [], 0, time.perf_counter()
        while True:
            started = time.perf_counter()
            async with unit_of_work() as session:
                count = await retention._delete_batch(session, rule, batch)
            times.append(time.perf_counter() - started)
            deleted += count
            if count < batch:
                break
        seconds = time.perf_counter() - began
        report[rule.name] = {"deleted": deleted, "seconds": round(seconds, 1),
                             "rows_per_second": round(deleted / seconds) if seconds else None,
                             "statements": len(times), "statement_ms_p50": round(percentile(times, 50) * 1000, 1),
                             "statement_ms_max": round(max(times) * 1000, 1)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--outbox", type=int, default=1_000_000)
    parser.add_argument("--completions", type=int, default=200_000)
    parser.add_argument("--inbound", type=int, default=300_000)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()
    stack = Stack()
    try:
        stack.start()
        filled = fill(stack.postgres.url, events=args.events, outbox=args.outbox, completions=args.completions)
        filled["seconds"]["inbound_events"] = round(fill_inbound(stack.postgres.url, args.inbound), 1)

        async def both() -> dict:
            first = await timed_prune(args.batch)
            second = await timed_prune(args.batch)  # the next hour's run: nothing left to do
            await dispose_engine()
            return {"first run (90 days of rows)": first, "next run": second}

        print(json.dumps({"args": vars(args), "fill": filled, **asyncio.run(both())}, indent=2))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
