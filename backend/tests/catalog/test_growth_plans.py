"""Old rows pile up (processed events and published jobs are kept until a retention job
prunes them): every query the sync's read paths send must reach its rows through an index,
not by reading the pile. The statements are captured as the real code sends them and
explained with their own parameters, as the generic plan a prepared statement settles on;
bench/growth measures the same paths at millions of rows."""

import json
from contextlib import contextmanager

from sqlalchemy import event, text

from mancrel.catalog import health, sync
from mancrel.catalog.repository import EventRepository
from mancrel.worker import outbox
from tests.catalog.factories import make_source

OLD_EVENTS = 30_000


@contextmanager
def captured(db):
    """The SELECTs the session sends meanwhile, with their parameters."""
    statements: list[tuple[str, object]] = []

    def listen(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    engine = db.bind.engine.sync_engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def _problems(node: dict, found: list[str]) -> list[str]:
    relation = node.get("Relation Name")
    if node["Node Type"] == "Seq Scan" and relation in ("catalog_events", "outbox_messages", "task_completions"):
        found.append(f"Seq Scan on {relation}")
    if node.get("Rows Removed by Filter", 0) > 1000:
        found.append(f"{node['Node Type']} filtered out {node['Rows Removed by Filter']} rows of {relation}")
    for child in node.get("Plans", []):
        _problems(child, found)
    return found


def _literal(value) -> str:
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


async def _explain(db, statement: str, parameters) -> list[str]:
    """The plan PostgreSQL settles on for the prepared statement (its generic plan)."""
    connection = await db.connection()
    await connection.exec_driver_sql("PREPARE probe AS " + statement)
    try:
        result = await connection.exec_driver_sql(
            "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE probe(" + ", ".join(map(_literal, parameters)) + ")")
        plan = result.scalar_one()
    finally:
        await connection.exec_driver_sql("DEALLOCATE probe")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return _problems(plan[0]["Plan"], [])


async def test_the_sync_reads_no_pile_of_old_events_or_jobs(db) -> None:
    source = await make_source(db)
    await db.execute(text("""
        INSERT INTO catalog_events (id, source_id, delivery_id, body, received_at, status, error, processed_at,
                                    external_id)
        SELECT gen_random_uuid(), :source, 'old-' || g, '\\x7b7d'::bytea,
               now() - interval '30 days' + g * interval '1 minute',
               CASE WHEN mod(g, 10000) = 7 THEN 'failed' ELSE 'processed' END,
               CASE WHEN mod(g, 10000) = 7 THEN 'body is not valid JSON' END,
               now() - interval '30 days' + g * interval '1 minute', 'p-' || mod(g, 500)
        FROM generate_series(1, :n) AS g"""), {"source": source.id, "n": OLD_EVENTS})
    await db.execute(text("""
        INSERT INTO outbox_messages (id, task_name, kwargs, created_at, published_at, publish_attempts)
        SELECT gen_random_uuid(), 'ai.embed_product', '{}', now() - g * interval '1 second',
               now() - g * interval '1 second', 0 FROM generate_series(1, :n) AS g"""), {"n": OLD_EVENTS})
    await db.execute(text("ANALYZE catalog_events"))
    await db.execute(text("ANALYZE outbox_messages"))
    events = EventRepository(db)

    with captured(db) as statements:
        await events.pending_for_update(source.id, limit=500)
        await health.refresh_freshness(db)
        await health.source_health(db, source)
        for status in (None, "failed", "pending"):
            await events.list_page(source.id, status=status, limit=50, cursor=None)
        await outbox.relay_pending(db)
        await sync.drain_events(db, source.id)

    assert len(statements) >= 10
    # As a prepared statement is planned from its sixth run on: for any parameter values.
    # A partial index whose condition is a parameter's (status = $2) cannot serve that plan.
    await db.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
    problems = {statement.split("FROM", 1)[1][:160]: found for statement, parameters in statements
                if "catalog_events" in statement or "outbox_messages" in statement
                for found in [await _explain(db, statement, parameters)] if found}
    assert problems == {}
