"""Latency of every /api/v1/analytics endpoint with one API process (goal: p95 under 200 ms).

    ../crm/generate.py --data-dir /tmp/mancrel-bench-analytics --scale 0.1     # the CRM first
    ../../.venv/bin/python analytics_latency.py --data-dir /tmp/mancrel-bench-analytics

Starts the embedded PostgreSQL holding bench/crm's data (users, contacts, deals, activities) and
extends it once (marked in app_state) with what analytics also reads: closing times and stage
moves for the closed deals, products and the won deals' line items, conversations on three
channels with classified customer messages, replies after lognormal delays, conversation
closes (audit rows) and reply suggestions in every status. Then rebuilds every rollup over the
whole span (timed: the nightly job's work, and one day's refresh), starts one `mancrel serve`
and times sequential requests per endpoint as a manager and as a rep, over 30-day and 365-day
windows at random positions. Writes results/analytics_latency.json and prints a Markdown table.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "crm"))
from common import bench_env, start_api  # noqa: E402  (bench/crm/common.py puts backend/ on the path)

RESULTS = HERE / "results" / "analytics_latency.json"
MARK = "bench_analytics_extended"
START = datetime(2023, 1, 1, tzinfo=UTC)  # bench/crm's data spans three years from here
SPAN_DAYS = 3 * 365
CHANNELS = ("email", "whatsapp", "messenger")
INTENTS = ("pricing", "availability", "shipping", "order_status", "returns", "complaint", "purchase_intent",
           "product_question", "discount", "invoice", "greeting", "other")
STATUSES = (("sent", 0.45), ("approved", 0.2), ("edited", 0.1), ("rejected", 0.05), ("escalated", 0.1),
            ("pending", 0.05), ("ignored", 0.05))
ENDPOINTS = ("pipeline", "deals", "revenue-by-product", "messages", "response-times", "automation", "activity")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _copy(conn, table: str, columns: list[str], rows: list[tuple]) -> None:
    for i in range(0, len(rows), 50_000):
        await conn.copy_records_to_table(table, records=rows[i:i + 50_000], columns=columns)


async def _deals(conn, rng: random.Random, products: int) -> int:
    """Closing times (bench/crm leaves them empty) and a stage move for a third of the deals,
    then products and 1-3 line items per won deal."""
    await conn.execute("UPDATE deals SET closed_at = created_at + (random() * 60 + 1) * interval '1 day' "
                       "WHERE status <> 'open' AND closed_at IS NULL")
    stages = await conn.fetch("SELECT s.id FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id "
                              "WHERE p.is_default AND s.kind = 'open' ORDER BY s.position")
    await conn.execute("""
        INSERT INTO deal_stage_changes (id, deal_id, from_stage_id, to_stage_id, from_status, to_status, changed_at)
        SELECT gen_random_uuid(), id, $1, stage_id, 'open', status, created_at + interval '3 days'
        FROM deals WHERE status = 'open' AND stage_id <> $1 AND random() < 0.33""", stages[0]["id"])
    source = uuid.uuid4()
    await conn.execute("INSERT INTO catalog_sources (id, name, kind, created_at, updated_at) "
                       "VALUES ($1, 'Bench shop', 'standard', now(), now())", source)
    product_rows = [(uuid.uuid4(), source, f"p{i}", f"Product {i}", "active", START, "")
                    for i in range(products)]
    await _copy(conn, "products", ["id", "source_id", "external_id", "title", "status", "source_updated_at",
                                   "description"], product_rows)
    won = await conn.fetch("SELECT id FROM deals WHERE status = 'won'")
    items = []
    for row in won:
        for position in range(rng.randint(1, 3)):
            product = product_rows[min(int(rng.paretovariate(1.2)) - 1, products - 1)]
            quantity, price = rng.randint(1, 5), Decimal(rng.randrange(500, 50_000)) / 100
            items.append((uuid.uuid4(), row["id"], product[0], product[3], quantity, price, Decimal(0), "EUR",
                          price * quantity, position))
    await _copy(conn, "deal_line_items", ["id", "deal_id", "product_id", "title", "quantity", "unit_price",
                                          "discount_percent", "currency", "line_total", "position"], items)
    return len(items)


def _conversation_rows(rng: random.Random, conversation, channel, contact, counts: dict) -> None:
    """One conversation's messages, replies, classifications, suggestions and closes."""
    at = START + timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
    for _ in range(rng.randint(1, 4)):
        at += timedelta(hours=rng.expovariate(1 / 200))
        message, classification = uuid.uuid4(), uuid.uuid4()
        intent = rng.choice(INTENTS)
        counts["classifications"].append((classification, "q", intent, 0.8, "normal", 1, at, "[]", False))
        counts["messages"].append((message, conversation, channel, "inbound", "c@x.example", uuid.uuid4().hex,
                                   "received", classification, at, at, False))
        status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
        counts["suggestions"].append((uuid.uuid4(), message, conversation, contact, intent, Decimal("0.8"),
                                      "approval", status, "[]", at, at, "{}", "[]", "{}", "{}"))
        if status in ("sent", "approved", "edited") or rng.random() < 0.5:
            at += timedelta(seconds=rng.lognormvariate(7, 1.8))
            counts["messages"].append((uuid.uuid4(), conversation, channel, "outbound", "shop@x.example",
                                       uuid.uuid4().hex, "sent", None, at, at, False))
    if rng.random() < 0.6:
        at += timedelta(seconds=rng.lognormvariate(8, 1.5))
        counts["closes"].append((uuid.uuid4(), at, "conversation.updated", "conversation", str(conversation),
                                 json.dumps({"status": "open"}), json.dumps({"status": "closed"})))


async def _inbox(conn, rng: random.Random, conversations: int) -> int:
    channels = {}
    for kind in CHANNELS:
        channels[kind] = uuid.uuid4()
        await conn.execute("INSERT INTO channels (id, kind, name, settings, created_at, updated_at) "
                           "VALUES ($1, $2, $3, '{}'::jsonb, now(), now())", channels[kind], kind, f"Bench {kind}")
    contacts = [r["id"] for r in await conn.fetch("SELECT id FROM contacts ORDER BY random() LIMIT $1", conversations)]
    rows = {"conversations": [], "messages": [], "classifications": [], "suggestions": [], "closes": []}
    for contact in contacts:
        conversation, channel = uuid.uuid4(), channels[rng.choice(CHANNELS)]
        rows["conversations"].append((conversation, channel, contact, f"c-{conversation.hex[:12]}", "open", START))
        _conversation_rows(rng, conversation, channel, contact, rows)
    await _copy(conn, "conversations", ["id", "channel_id", "contact_id", "counterpart", "status", "last_message_at"],
                rows["conversations"])
    await _copy(conn, "ai_classifications", ["id", "text", "intent", "confidence", "priority", "model_version",
                                             "created_at", "alternatives", "out_of_scope"], rows["classifications"])
    await _copy(conn, "messages", ["id", "conversation_id", "channel_id", "direction", "sender", "provider_message_id",
                                   "status", "classification_id", "occurred_at", "created_at", "is_junk"],
                rows["messages"])
    await _copy(conn, "reply_suggestions", ["id", "message_id", "conversation_id", "contact_id", "intent",
                                            "confidence", "decision", "status", "reasons", "created_at",
                                            "updated_at", "confidence_parts", "facts", "grounding", "usage"],
                rows["suggestions"])
    await _copy(conn, "audit_log", ["id", "occurred_at", "action", "entity_type", "entity_id", "before", "after"],
                rows["closes"])
    return len(rows["messages"])


async def extend(url: str, conversations: int, products: int, seed: int) -> dict:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        done = await conn.fetchval("SELECT value FROM app_state WHERE key = $1", MARK)
        if done is not None:
            return json.loads(done) if isinstance(done, str) else done
        rng = random.Random(seed)
        started = time.perf_counter()
        facts = {"line_items": await _deals(conn, rng, products)}
        facts["messages"] = await _inbox(conn, rng, conversations)
        facts["conversations"], facts["products"] = conversations, products
        await conn.execute("VACUUM ANALYZE")
        facts["extend_seconds"] = round(time.perf_counter() - started, 1)
        await conn.execute("INSERT INTO app_state (key, value, updated_at) VALUES ($1, $2, now())",
                           MARK, json.dumps(facts))
        return facts
    finally:
        await conn.close()


async def rebuild_all() -> dict:
    """Every rollup over the whole span (what the nightly job does for 35 days), then one day."""
    from mancrel.analytics import rollup
    from mancrel.core.db import dispose_engine, init_engine, unit_of_work

    init_engine()
    today = datetime.now(UTC).date()
    started = time.perf_counter()
    async with unit_of_work() as session:
        await rollup.rebuild(session, START.date(), today)
    full = time.perf_counter() - started
    started = time.perf_counter()
    async with unit_of_work() as session:
        await rollup.rebuild(session, date(2024, 6, 3), date(2024, 6, 3))
    one_day = time.perf_counter() - started
    await dispose_engine()
    return {"full_rebuild_seconds": round(full, 1), "days": (today - START.date()).days + 1,
            "one_day_rebuild_seconds": round(one_day, 2)}


async def fixtures(url: str) -> dict:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        users = {r["role"]: r["id"] for r in await conn.fetch(
            "SELECT DISTINCT ON (role) role, id FROM users WHERE email LIKE 'bench-%' ORDER BY role, email")}
        counts = dict(await conn.fetchrow(
            "SELECT (SELECT count(*) FROM contacts) contacts, (SELECT count(*) FROM deals) deals, "
            "(SELECT count(*) FROM activities) activities, (SELECT count(*) FROM messages) messages, "
            "(SELECT count(*) FROM deal_line_items) line_items, (SELECT count(*) FROM products) products"))
        rollups = {t: await conn.fetchval(f"SELECT count(*) FROM {t}")  # noqa: S608  (fixed table names)
                   for t in ("analytics_deal_days", "analytics_stage_days", "analytics_product_days",
                             "analytics_message_days", "analytics_response_days", "analytics_automation_days",
                             "analytics_activity_days")}
    finally:
        await conn.close()
    return {"users": users, "counts": counts, "rollup_rows": rollups}


def windows(rng: random.Random, days: int, n: int = 40) -> list[dict[str, str]]:
    out = []
    for _ in range(n):
        first = START.date() + timedelta(days=rng.randrange(SPAN_DAYS - days))
        out.append({"from": first.isoformat(), "to": (first + timedelta(days=days - 1)).isoformat()})
    return out


def _time_case(client: httpx.Client, path: str, headers: dict, ranges: list[dict], n: int) -> list[float]:
    for query in ranges[:10]:  # warm-up: the steady state, not the first touch
        client.get(path, params=query, headers=headers).raise_for_status()
    times = []
    for i in range(n):
        started = time.perf_counter()
        response = client.get(path, params=ranges[i % len(ranges)], headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def measure(fx: dict, port: int, n: int) -> list[dict]:
    from mancrel.core.permissions import Role
    from mancrel.core.security import create_access_token

    rng = random.Random(11)
    tokens = {role: create_access_token(fx["users"][role], Role(role))[0] for role in ("manager", "rep")}
    results = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        # The floor on this machine now: an authenticated request with one small query.
        floor = _time_case(client, "/api/v1/pipelines", {"Authorization": f"Bearer {tokens['manager']}"}, [{}], n)
        results.append({"endpoint": "baseline: GET /api/v1/pipelines", "days": 0, "role": "manager",
                        "p50_ms": round(statistics.median(floor), 1), "p95_ms": round(percentile(floor, 0.95), 1)})
        print(results[-1], flush=True)
        for days in (30, 365):
            ranges = windows(rng, days)
            for endpoint in ENDPOINTS:
                for role in ("manager", "rep"):
                    times = _time_case(client, f"/api/v1/analytics/{endpoint}",
                                       {"Authorization": f"Bearer {tokens[role]}"}, ranges, n)
                    row = {"endpoint": endpoint, "days": days, "role": role,
                           "p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1)}
                    results.append(row)
                    print(f"{endpoint:<20} {days:>4} days {role:<8} p50 {row['p50_ms']:7.1f} ms  "
                          f"p95 {row['p95_ms']:7.1f} ms", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default="/tmp/mancrel-bench-analytics")  # noqa: S108
    parser.add_argument("--conversations", type=int, default=None, help="default: a tenth of the contacts")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-rebuild", action="store_true", help="measure only (the rollups of an earlier run)")
    args = parser.parse_args()

    from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey, free_port


    postgres = EmbeddedPostgres(Path(args.data_dir) / "postgres")
    valkey = EmbeddedValkey(Path(args.data_dir) / "valkey")
    postgres.start()
    valkey.start()
    api = None
    try:
        env = bench_env(postgres.url, valkey.url)
        os.environ.update(env)
        from mancrel.core.migrate import upgrade_to_head

        upgrade_to_head(postgres.url)  # the rollup tables, on data generated before they existed
        scale = asyncio.run(_scale(postgres.url))
        conversations = args.conversations or max(1000, scale["contacts"] // 10)
        facts = asyncio.run(extend(postgres.url, conversations, args.products, args.seed))
        print("extended:", facts, flush=True)
        rebuild = {"skipped": True} if args.skip_rebuild else asyncio.run(rebuild_all())
        print("rollups:", rebuild, flush=True)
        fx = asyncio.run(fixtures(postgres.url))
        print("data:", fx["counts"], "rollup rows:", fx["rollup_rows"], flush=True)
        port = free_port()
        api = start_api(env, port)
        results = measure(fx, port, args.requests)
        RESULTS.parent.mkdir(exist_ok=True)
        load = os.getloadavg()
        RESULTS.write_text(json.dumps({"scale": scale, "load_average_after": [round(x, 1) for x in load],
                                       "data": fx["counts"], "rollup_rows": fx["rollup_rows"],
                                       "rebuild": rebuild, "requests_per_case": args.requests,
                                       "results": results}, indent=2, default=str) + "\n")
        print("\n| endpoint | window | as | p50 ms | p95 ms |\n|---|---|---|---:|---:|")
        for r in results:
            print(f"| {r['endpoint']} | {r['days']} days | {r['role']} | {r['p50_ms']} | {r['p95_ms']} |")
    finally:
        if api is not None:
            api.terminate()
            api.wait(timeout=15)
        valkey.stop()
        postgres.stop()


async def _scale(url: str) -> dict:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        value = await conn.fetchval("SELECT value FROM app_state WHERE key = 'bench_crm'")
    finally:
        await conn.close()
    if value is None:
        raise SystemExit("No bench/crm data here: run bench/crm/generate.py --data-dir ... --scale ... first.")
    return json.loads(value) if isinstance(value, str) else value


if __name__ == "__main__":
    main()
