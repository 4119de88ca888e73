"""Fill the tables that grow with every webhook and job, as months of traffic leave them.

    fill(url, events=2_000_000, outbox=2_000_000, completions=2_000_000)

Server-side `INSERT ... SELECT generate_series` in chunks (each its own transaction), so
millions of rows go in at the database's speed without crossing the wire:
- catalog_events: one busy source holding 90% of the rows and 20 quieter ones, received
  in order over the last 90 days, each processed 50 ms after receipt; 97% processed, 3%
  stale, 1 in 20,000 failed (a healthy shop), none pending; bodies of about 400 bytes.
- outbox_messages: drains and embedding jobs over the same 90 days, all published 10 ms
  after they were written.
- task_completions: jobs completed over the last 7 days (COMPLETION_RETENTION: older ones
  are pruned, so a week is what the table holds at steady state).
Then VACUUM ANALYZE, as autovacuum would have done by then.
"""

import sys
import time
import uuid

import psycopg

CHUNK = 250_000
BUSY_SHARE = 0.9
QUIET_SOURCES = 20

_EVENTS = """
INSERT INTO catalog_events (id, source_id, delivery_id, topic, body, triggered_at, received_at, status, error,
                            processed_at, external_id)
SELECT gen_random_uuid(),
       CASE WHEN mod(g, 10) < %(busy_tenths)s THEN %(busy)s::uuid ELSE (%(quiet)s::uuid[])[1 + mod(g, %(n_quiet)s)] END,
       'old-' || g, NULL,
       convert_to('{"type": "product.updated", "data": {"id": "p-' || (mod(g, 100000)) || '", "title": "'
                  || repeat('x', 300) || '"}}', 'UTF8'),
       t, t,
       CASE WHEN mod(g, 20000) = 7 THEN 'failed' WHEN mod(g, 100) < 3 THEN 'stale' ELSE 'processed' END,
       CASE WHEN mod(g, 20000) = 7 THEN 'data.variants[0].price is not a number' END,
       t + interval '50 milliseconds', 'p-' || (mod(g, 100000))
FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g,
     LATERAL (SELECT now() - interval '90 days' + (g::float8 / %(total)s) * interval '90 days'
                     - interval '1 minute' AS t) AS times
"""
_OUTBOX = """
INSERT INTO outbox_messages (id, task_name, kwargs, created_at, published_at, publish_attempts)
SELECT gen_random_uuid(),
       CASE WHEN mod(g, 2) = 0 THEN 'catalog.drain_events' ELSE 'ai.embed_product' END,
       jsonb_build_object('product_id', gen_random_uuid()), t, t + interval '10 milliseconds', 0
FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g,
     LATERAL (SELECT now() - interval '90 days' + (g::float8 / %(total)s) * interval '90 days'
                     - interval '1 minute' AS t) AS times
"""
_COMPLETIONS = """
INSERT INTO task_completions (task_id, task_name, completed_at)
SELECT gen_random_uuid()::text, CASE WHEN mod(g, 2) = 0 THEN 'catalog.drain_events' ELSE 'ai.embed_product' END,
       now() - interval '7 days' + (g::float8 / %(total)s) * interval '7 days' - interval '1 minute'
FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g
"""


def _sources(conn: psycopg.Connection, busy: uuid.UUID | None) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """The busy source (given, or created) and QUIET_SOURCES more, created here."""
    if busy is None:
        busy = uuid.uuid4()
        conn.execute("INSERT INTO catalog_sources (id, name, kind, currency) VALUES (%s, %s, 'standard', 'EUR')",
                     (busy, f"growth-busy-{busy.hex[:6]}"))
    quiet = [uuid.uuid4() for _ in range(QUIET_SOURCES)]
    for source_id in quiet:
        conn.execute("INSERT INTO catalog_sources (id, name, kind, currency) VALUES (%s, %s, 'standard', 'EUR')",
                     (source_id, f"growth-quiet-{source_id.hex[:6]}"))
    return busy, quiet


def _chunks(conn: psycopg.Connection, sql: str, total: int, params: dict, label: str) -> float:
    began = time.perf_counter()
    for start in range(0, total, CHUNK):
        with conn.transaction():
            conn.execute(sql, params | {"start": start, "stop": min(total, start + CHUNK) - 1, "total": total})
        print(f"  {label}: {min(total, start + CHUNK):,} / {total:,}", file=sys.stderr, flush=True)
    return time.perf_counter() - began


def fill(url: str, *, events: int, outbox: int, completions: int, busy_source: uuid.UUID | None = None) -> dict:
    """Fill the three tables; returns the busy source's id and the seconds each took."""
    timings: dict[str, float] = {}
    with psycopg.connect(url.replace("postgresql+asyncpg://", "postgresql://"), autocommit=True) as conn:
        busy, quiet = _sources(conn, busy_source)
        params = {"busy": busy, "quiet": quiet, "n_quiet": len(quiet), "busy_tenths": int(BUSY_SHARE * 10)}
        timings["catalog_events"] = _chunks(conn, _EVENTS, events, params, "catalog_events")
        timings["outbox_messages"] = _chunks(conn, _OUTBOX, outbox, {}, "outbox_messages")
        timings["task_completions"] = _chunks(conn, _COMPLETIONS, completions, {}, "task_completions")
        began = time.perf_counter()
        for table in ("catalog_events", "outbox_messages", "task_completions"):
            conn.execute(f"VACUUM ANALYZE {table}")
        timings["vacuum_analyze"] = time.perf_counter() - began
    return {"busy_source": str(busy), "seconds": {k: round(v, 1) for k, v in timings.items()}}
