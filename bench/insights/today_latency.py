"""Latency of GET /api/v1/insights/today with one API process (goal: p95 under 100 ms).

    .venv/bin/python bench/insights/today_latency.py --contacts 20000 --filler 1000000

Starts an embedded PostgreSQL and Valkey in a temporary folder, migrates, loads the generated
history of lead_history.py (split between two reps) plus `--filler` plain contacts (a third of
them with a lead score, as a large CRM after the nightly job), open and overdue tasks for every
rep, then runs the real nightly jobs (lead scores, churn, opportunities) and times sequential
requests from one client against one `mancrel serve` process, as a rep and as a manager.
"""

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
BACKEND = HERE.parents[1] / "backend"
sys.path.insert(0, str(BACKEND))
sys.path.insert(0, str(HERE))
from common import start_api  # noqa: E402  (bench/insights/common.py: one `mancrel serve`, waited for)

FILLER_SQL = """
INSERT INTO contacts (id, first_name, last_name, emails, owner_id, created_at, updated_at)
SELECT gen_random_uuid(), 'Filler', 'Contact ' || g, ARRAY['filler' || g || '@bench.example'],
       CASE WHEN g % 3 = 0 THEN $1::uuid WHEN g % 3 = 1 THEN $2::uuid END,
       now() - (g % 700) * interval '1 day', now()
FROM generate_series(1, $3) g
"""
SCORES_SQL = """
INSERT INTO lead_scores (contact_id, score, probability, previous_score, reasons, features, model_version,
                         computed_at, changed_at)
SELECT id, s, s / 100.0, NULL, '[]'::jsonb, '{}'::jsonb, 0, now(), now()
FROM (SELECT id, (random() * 60)::int AS s FROM contacts WHERE first_name = 'Filler' AND random() < 0.33) f
ON CONFLICT (contact_id) DO NOTHING
"""
TASKS_SQL = """
INSERT INTO activities (id, type, subject, body, owner_id, assignee_id, due_at, occurred_at, created_at, updated_at)
SELECT gen_random_uuid(), 'task', 'Follow up ' || g, '', u, u, now() + ((g % 40) - 10) * interval '1 day',
       now(), now(), now()
FROM generate_series(1, $2) g, unnest($1::uuid[]) u
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def prepare(url: str, contacts: int, filler: int, seed: int) -> dict:
    import asyncpg
    import lead_history
    from sqlalchemy.ext.asyncio import AsyncSession

    from mancrel.core.db import get_engine
    from mancrel.core.permissions import Role
    from mancrel.insights import churn, leads, opportunities
    from mancrel.user.models import User

    async with AsyncSession(get_engine(), expire_on_commit=False) as session:
        users = {role: User(email=f"{role}@bench.example", password_hash="x",  # noqa: S106
                            full_name=role,
                            role=Role.manager if role == "manager" else Role.rep)
                 for role in ("manager", "rep", "rep2")}
        session.add_all(users.values())
        await session.commit()
        await lead_history.load(session, contacts=contacts, seed=seed, owner_id=users["rep"].id)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        rep, rep2 = users["rep"].id, users["rep2"].id
        # Half of the history to the second rep (by the id's first hex digit), so visibility filters.
        await conn.execute("UPDATE contacts SET owner_id = $1 "
                           "WHERE ('x' || substr(id::text, 1, 1))::bit(4)::int % 2 = 0", rep2)
        started = time.perf_counter()
        await conn.execute(FILLER_SQL, rep, rep2, filler)
        await conn.execute(TASKS_SQL, [rep, rep2], 2000)
        print(f"filler contacts and tasks {time.perf_counter() - started:.1f}s", flush=True)
    finally:
        await conn.close()
    async with AsyncSession(get_engine(), expire_on_commit=False) as session:
        started = time.perf_counter()
        nightly = await leads.score(session, now=lead_history.END)  # scored as of the history's last day
        alerts = await churn.run(session)
        found = await opportunities.run(session)
        await session.commit()
        print(f"nightly jobs {time.perf_counter() - started:.1f}s: scored {nightly}, churn {alerts}, "
              f"opportunities {found}", flush=True)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await conn.execute(SCORES_SQL)
        await conn.execute("VACUUM ANALYZE")
        counts = dict(await conn.fetchrow(
            "SELECT (SELECT count(*) FROM contacts) contacts, (SELECT count(*) FROM lead_scores) lead_scores, "
            "(SELECT count(*) FROM churn_alerts) churn_alerts, (SELECT count(*) FROM opportunities) opportunities, "
            "(SELECT count(*) FROM activities) activities, (SELECT count(*) FROM messages) messages"))
    finally:
        await conn.close()
    return {"users": {k: (u.id, u.role) for k, u in users.items()}, "counts": counts}


def _timed(client: httpx.Client, path: str, headers: dict, n: int) -> tuple[list[float], httpx.Response]:
    for _ in range(20):
        client.get(path, headers=headers).raise_for_status()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times, response


def measure(port: int, users: dict, n: int) -> list[tuple[str, float, float]]:
    """/insights/today as a rep and a manager, and /users/me as the baseline: one authenticated
    request that reads one row, i.e. what the machine's load costs any request at the moment."""
    from mancrel.core.security import create_access_token

    results = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for who, path in (("rep", "/api/v1/insights/today"), ("manager", "/api/v1/insights/today"),
                          ("rep", "/api/v1/users/me")):
            user_id, role = users[who]
            headers = {"Authorization": f"Bearer {create_access_token(user_id, role)[0]}"}
            times, response = _timed(client, path, headers, n)
            body = response.json()
            sizes = {k: len(v) for k, v in body.items() if isinstance(v, list)}
            results.append((f"{path} as {who}", percentile(times, 0.5), percentile(times, 0.95)))
            print(f"{results[-1][0]:<36} p50 {results[-1][1]:6.1f} ms  p95 {results[-1][2]:6.1f} ms  {sizes}",
                  flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=20_000, help="contacts with a generated history")
    parser.add_argument("--filler", type=int, default=1_000_000, help="plain contacts on top")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey, free_port
    from mancrel.core.migrate import upgrade_to_head

    with tempfile.TemporaryDirectory(prefix="mancrel-bench-today-") as folder:
        postgres = EmbeddedPostgres(Path(folder) / "postgres")
        valkey = EmbeddedValkey(Path(folder) / "valkey")
        postgres.start()
        valkey.start()
        api = None
        try:
            env = dict(os.environ, DATABASE_URL=postgres.url, REDIS_URL=valkey.url, MANCREL_ENV="development",
                       MANCREL_DEMO="0", MANCREL_SECRET_KEY=secrets.token_urlsafe(48), MANCREL_LOG_LEVEL="WARNING",
                       LOG_LEVEL="WARNING")
            os.environ.update(env)
            upgrade_to_head(postgres.url)
            prepared = asyncio.run(prepare(postgres.url, args.contacts, args.filler, args.seed))
            print("data:", ", ".join(f"{k} {v:,}" for k, v in prepared["counts"].items()), flush=True)
            port = free_port()
            api = start_api(env, port)
            results = measure(port, prepared["users"], args.requests)
            print("\n| request | p50 ms | p95 ms |\n|---|---:|---:|")
            for who, p50, p95 in results:
                print(f"| {who} | {p50:.1f} | {p95:.1f} |")
        finally:
            if api is not None:
                api.terminate()
                api.wait(timeout=15)
            valkey.stop()
            postgres.stop()


if __name__ == "__main__":
    main()
