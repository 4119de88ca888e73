"""Load a large CRM into PostgreSQL with COPY: the data set the CRM benchmark reads.

    ../../.venv/bin/python generate.py                 # full size: 1M contacts, 100k companies,
                                                       # 300k deals, 5M activities
    ../../.venv/bin/python generate.py --scale 0.1     # a tenth of that

It starts an embedded PostgreSQL in --data-dir (kept for measure.py), applies the
migrations, and writes users, companies, contacts, deals (with their stage history) and
activities. Secondary indexes of the big tables are dropped before COPY and rebuilt after
(much faster than maintaining them row by row); triggers (contacts' search text) and
foreign keys stay on. Rows are random but deterministic (seeded).
"""

import argparse
import asyncio
import json
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg
from common import DEFAULT_DATA_DIR, bench_env, sizes

FIRST = ["Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca",
         "Mia", "Noah", "Olga", "Paul", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wim", "Yara", "Zoe"]
LAST = ["Schmidt", "Novak", "Rossi", "Garcia", "Dubois", "Jensen", "Kowalski", "Silva", "Yilmaz", "Weber",
        "Moreau", "Costa", "Berg", "Horvat", "Fischer", "Lund", "Meyer", "Nagy", "Ortiz", "Peters"]
WORDS = ["Coffee", "Roasters", "Trading", "Kitchen", "Bakery", "Hotel", "Supply", "Bistro", "Foods", "Market"]
BATCH = 50_000
DUPLICATE_SHARE = 0.002  # contacts sharing an email or a phone with an earlier one
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 3 * 365 * 24 * 3600


def uid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def when(rng: random.Random) -> datetime:
    return START + timedelta(seconds=rng.randrange(SPAN_SECONDS))


def timeline(rng: random.Random, n: int) -> list[datetime]:
    """Creation times in order: a live CRM appends rows as they are created, so a table's
    physical order follows `created_at` (random order would make every list walk read a new page
    per row, which no real installation does)."""
    return sorted(when(rng) for _ in range(n))


async def copy(conn: asyncpg.Connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    await conn.copy_records_to_table(table, records=rows, columns=columns)


async def without_indexes(conn: asyncpg.Connection, table: str) -> list[str]:
    """Drop the table's secondary indexes; return their definitions to rebuild them."""
    rows = await conn.fetch(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = $1 AND i.indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass)", table)
    for row in rows:
        await conn.execute(f'DROP INDEX "{row["indexname"]}"')
    return [row["indexdef"] for row in rows]


async def users(conn: asyncpg.Connection) -> dict[str, list[uuid.UUID]]:
    """An admin, two managers and 40 reps; the bench mints their tokens directly."""
    team: dict[str, list[uuid.UUID]] = {"admin": [], "manager": [], "rep": []}
    rows = []
    for role, count in (("admin", 1), ("manager", 2), ("rep", 40)):
        for i in range(count):
            user_id = uuid.uuid4()
            team[role].append(user_id)
            rows.append((user_id, f"bench-{role}{i}@example.com", "!", f"Bench {role.title()} {i}", role, True))
    await copy(conn, "users", ["id", "email", "password_hash", "full_name", "role", "is_active"], rows)
    return team


def owner(rng: random.Random, reps: list[uuid.UUID]) -> uuid.UUID | None:
    return None if rng.random() < 0.1 else rng.choice(reps)


async def companies(conn, rng, n, reps) -> list[tuple[uuid.UUID, uuid.UUID | None]]:
    out, rows = [], []
    columns = ["id", "name", "domain", "industry", "tags", "custom_fields", "owner_id", "created_at", "updated_at"]
    for i, at in enumerate(timeline(rng, n)):
        company_id, owner_id = uid(rng), owner(rng, reps)
        out.append((company_id, owner_id))
        rows.append((company_id, f"{rng.choice(LAST)} {rng.choice(WORDS)} {i}", f"company{i}.example",
                     "hospitality", [], "{}", owner_id, at, at))
        if len(rows) >= BATCH:
            await copy(conn, "companies", columns, rows)
            rows = []
    await copy(conn, "companies", columns, rows)
    return out


async def contacts(conn, rng, n, companies_, reps) -> list[tuple]:
    """Returns (id, company_id, owner_id) per contact, for the deals and activities that follow."""
    out, rows, emails = [], [], []
    columns = ["id", "first_name", "last_name", "emails", "phones", "company_id", "lifecycle_stage", "tags",
               "custom_fields", "owner_id", "created_at", "updated_at"]
    stages = ["lead", "prospect", "customer", "churned"]
    for i, at in enumerate(timeline(rng, n)):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company_id, company_owner = rng.choice(companies_)
        owner_id = company_owner if rng.random() < 0.8 else owner(rng, reps)
        contact_id = uid(rng)
        out.append((contact_id, company_id, owner_id))
        email, phone = f"{first}.{last}{i}@example.com".lower(), f"+4915{i:09d}"
        if i and rng.random() < DUPLICATE_SHARE:  # the same person entered twice, by another rep
            twin = rng.randrange(i)
            email, phone = (emails[twin], phone) if rng.random() < 0.5 else (email, f"+4915{twin:09d}")
        emails.append(email)
        rows.append((contact_id, first, last, [email], [phone], company_id, rng.choice(stages), [], "{}",
                     owner_id, at, at))
        if len(rows) >= BATCH:
            await copy(conn, "contacts", columns, rows)
            rows = []
    await copy(conn, "contacts", columns, rows)
    return out


async def deals(conn, rng, n, contacts_, team) -> list[tuple]:
    pipeline = await conn.fetchrow("SELECT id FROM pipelines WHERE is_default")
    stages = await conn.fetch("SELECT id, kind FROM pipeline_stages WHERE pipeline_id = $1 ORDER BY position",
                              pipeline["id"])
    next_rank = {s["id"]: 0 for s in stages}
    out, rows, changes = [], [], []
    columns = ["id", "title", "contact_id", "company_id", "pipeline_id", "stage_id", "rank", "amount", "currency",
               "status", "stage_changed_at", "custom_fields", "owner_id", "created_at", "updated_at"]
    change_columns = ["id", "deal_id", "from_stage_id", "to_stage_id", "from_status", "to_status",
                      "changed_by_id", "changed_at"]
    for i, at in enumerate(timeline(rng, n)):
        contact_id, company_id, owner_id = rng.choice(contacts_)
        stage = rng.choice(stages)
        next_rank[stage["id"]] += 1 << 20
        deal_id = uid(rng)
        status = stage["kind"]
        out.append((deal_id, contact_id, owner_id))
        rows.append((deal_id, f"{rng.randint(2, 40)} {rng.choice(WORDS).lower()} machines #{i}", contact_id,
                     company_id, pipeline["id"], stage["id"], next_rank[stage["id"]],
                     Decimal(rng.randrange(100, 100_000)), "EUR", status, at, "{}", owner_id, at, at))
        changes.append((uid(rng), deal_id, None, stage["id"], None, status, rng.choice(team["rep"]), at))
        if len(rows) >= BATCH:
            await copy(conn, "deals", columns, rows)
            await copy(conn, "deal_stage_changes", change_columns, changes)
            rows, changes = [], []
    await copy(conn, "deals", columns, rows)
    await copy(conn, "deal_stage_changes", change_columns, changes)
    return out


async def activities(conn, rng, n, contacts_, deals_) -> None:
    columns = ["id", "type", "subject", "body", "occurred_at", "due_at", "done_at", "assignee_id", "contact_id",
               "deal_id", "owner_id", "created_at", "updated_at"]
    types = ["note", "call", "email", "meeting", "task"]
    rows = []
    for at in timeline(rng, n):
        if rng.random() < 0.2:
            deal_id, contact_id, owner_id = rng.choice(deals_)
        else:
            deal_id, (contact_id, _, owner_id) = None, rng.choice(contacts_)
        kind = rng.choice(types)
        due = at + timedelta(days=rng.randint(0, 30)) if kind == "task" else None
        done = at + timedelta(days=1) if kind == "task" and rng.random() < 0.7 else None
        rows.append((uid(rng), kind, f"{kind.title()} about order", "", at, due, done,
                     owner_id if kind == "task" else None, contact_id, deal_id, owner_id, at, at))
        if len(rows) >= BATCH:
            await copy(conn, "activities", columns, rows)
            rows = []
    await copy(conn, "activities", columns, rows)


async def load(url: str, scale: float, seed: int) -> None:
    counts = sizes(scale)
    rng = random.Random(seed)
    conn = await asyncpg.connect(url)
    try:
        if await conn.fetchval("SELECT count(*) FROM contacts") > 0:
            raise SystemExit("The bench database already has contacts; use a fresh --data-dir.")
        await conn.execute("SET maintenance_work_mem = '1GB'")
        team = await users(conn)
        rebuild = {t: await without_indexes(conn, t) for t in ("companies", "contacts", "deals",
                                                               "deal_stage_changes", "activities")}
        steps = [("companies", lambda: companies(conn, rng, counts["companies"], team["rep"]))]
        results: dict = {}
        started = time.perf_counter()
        results["companies"] = await steps[0][1]()
        print(f"companies {counts['companies']:>10,}  {time.perf_counter() - started:7.1f}s", flush=True)
        results["contacts"] = await contacts(conn, rng, counts["contacts"], results["companies"], team["rep"])
        print(f"contacts  {counts['contacts']:>10,}  {time.perf_counter() - started:7.1f}s", flush=True)
        results["deals"] = await deals(conn, rng, counts["deals"], results["contacts"], team)
        print(f"deals     {counts['deals']:>10,}  {time.perf_counter() - started:7.1f}s", flush=True)
        await activities(conn, rng, counts["activities"], results["contacts"], results["deals"])
        print(f"activities{counts['activities']:>10,}  {time.perf_counter() - started:7.1f}s", flush=True)
        for table, definitions in rebuild.items():
            for definition in definitions:
                await conn.execute(definition)
            print(f"indexes of {table} rebuilt  {time.perf_counter() - started:7.1f}s", flush=True)
        await conn.execute("VACUUM ANALYZE")
        print(f"vacuum analyze done  {time.perf_counter() - started:7.1f}s", flush=True)
        await conn.execute("INSERT INTO app_state (key, value, updated_at) VALUES ('bench_crm', $1, now())",
                           json.dumps({"scale": scale, "seed": seed, **counts}))
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (default 1.0)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    import os
    from pathlib import Path

    from mancrel.core.embedded import EmbeddedPostgres
    from mancrel.core.migrate import upgrade_to_head

    postgres = EmbeddedPostgres(Path(args.data_dir) / "postgres")
    postgres.start()
    try:
        os.environ.update(bench_env(postgres.url))
        upgrade_to_head(postgres.url)
        asyncio.run(load(postgres.url, args.scale, args.seed))
    finally:
        postgres.stop()


if __name__ == "__main__":
    main()
