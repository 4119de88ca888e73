"""Measure the CRM's read paths on the data generate.py loaded, through one API process.

    ../../.venv/bin/python measure.py [--data-dir DIR] [--requests 200]

Starts the embedded PostgreSQL (the generated data) and a Valkey, then one `mancrel serve`
process (uvicorn, one worker), and times sequential requests from one client with
keep-alive, after a warm-up: the contacts list (first page, and deep pages reached by a
cursor hundreds of thousands of rows in), `q` search, a contact's timeline and the
pipeline board, as a manager (who sees everything) and as a rep. Prints p50/p95 per case
as a Markdown table (the figures recorded in bench/README.md).
"""

import argparse
import asyncio
import itertools
import os
import random
import statistics
import time
from pathlib import Path

import asyncpg
import httpx
from common import DEFAULT_DATA_DIR, bench_env, start_api

WARMUP = 20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def fixtures(url: str, rng: random.Random) -> dict:
    """Ids, cursors and search terms taken from the loaded data."""
    from mancrel.core.pagination import encode_cursor

    conn = await asyncpg.connect(url)
    try:
        total = await conn.fetchval("SELECT count(*) FROM contacts WHERE deleted_at IS NULL")
        deep = []
        for offset in sorted(rng.sample(range(total // 10, total - 100), 20)):
            row = await conn.fetchrow("SELECT created_at, id FROM contacts WHERE deleted_at IS NULL "
                                      "ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1", offset)
            deep.append(encode_cursor((row["created_at"], row["id"])))
        sample = await conn.fetch("SELECT id, first_name, last_name, emails, phones FROM contacts "
                                  "TABLESAMPLE SYSTEM (1) LIMIT 300")
        users = {r["role"]: r["id"] for r in await conn.fetch(
            "SELECT DISTINCT ON (role) role, id FROM users WHERE email LIKE 'bench-%' ORDER BY role, email")}
        pipeline = await conn.fetchval("SELECT id FROM pipelines WHERE is_default")
        counts = await conn.fetchrow("SELECT (SELECT count(*) FROM contacts) contacts, "
                                     "(SELECT count(*) FROM companies) companies, (SELECT count(*) FROM deals) deals, "
                                     "(SELECT count(*) FROM activities) activities")
    finally:
        await conn.close()
    terms = {"email": [r["emails"][0].split("@")[0] for r in sample[:100]],
             "phone": [r["phones"][0][-7:] for r in sample[:100]],
             "name": [f"{r['first_name']} {r['last_name']}" for r in sample[:100]]}
    return {"deep": deep, "contacts": [r["id"] for r in sample], "terms": terms, "users": users,
            "pipeline": pipeline, "counts": dict(counts)}


def timed(client: httpx.Client, paths: list[str], headers: dict, n: int, warmup: int | None) -> list[float]:
    # By default every distinct request once before timing: the figures are those of a server in
    # steady state, whose working set (1M contacts fit its 1 GB of shared buffers) is cached.
    # `--warmup 20` times the first request of most names as well (just after a restart).
    count = max(WARMUP, len(paths)) if warmup is None else warmup
    for path in itertools.islice(itertools.cycle(paths), count):
        client.get(path, headers=headers).raise_for_status()
    times = []
    for i in range(n):
        path = paths[i % len(paths)]
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def wait_for_prewarm(postgres) -> None:
    """autoprewarm reloads the pages cached before the last stop in the background."""
    time.sleep(1)
    started = time.monotonic()
    while postgres.prewarming() and time.monotonic() - started < 300:
        time.sleep(0.5)
    print(f"prewarm done after {time.monotonic() - started + 1:.1f} s", flush=True)


def cases(fx: dict) -> list[tuple[str, str, list[str]]]:
    """(name, role, paths) for every measured case."""
    pipeline, contacts = fx["pipeline"], fx["contacts"]
    deep = [f"/api/v1/contacts?limit=50&cursor={c}" for c in fx["deep"]]
    search = {kind: [f"/api/v1/contacts?limit=50&{httpx.QueryParams({'q': t})}" for t in terms]
              for kind, terms in fx["terms"].items()}
    timeline = [f"/api/v1/contacts/{c}/timeline?limit=50" for c in contacts]
    board = [f"/api/v1/pipelines/{pipeline}/board?limit=25"]
    first = ["/api/v1/contacts?limit=50"]
    duplicates = ["/api/v1/contacts/duplicates?limit=50"]
    return [
        ("contacts list, first page", "manager", first), ("contacts list, first page", "rep", first),
        ("contacts list, deep cursor page", "manager", deep), ("contacts list, deep cursor page", "rep", deep),
        ("q search, email local part (1 match)", "manager", search["email"]),
        ("q search, last 7 phone digits", "manager", search["phone"]),
        ("q search, first + last name (~2,000 matches)", "manager", search["name"]),
        ("q search, first + last name (~2,000 matches)", "rep", search["name"]),
        ("contact timeline", "manager", timeline),
        ("likely duplicates, first page", "manager", duplicates),
        ("likely duplicates, first page", "rep", duplicates),
        ("pipeline board (6 stages x 25 cards + totals)", "manager", board),
        ("pipeline board (6 stages x 25 cards + totals)", "rep", board),
    ]


def run(fx: dict, port: int, n: int, warmup: int | None) -> list[tuple[str, str, float, float]]:
    from mancrel.core.permissions import Role
    from mancrel.core.security import create_access_token

    tokens = {role: create_access_token(fx["users"][role], Role(role))[0] for role in ("manager", "rep")}
    results = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for name, role, paths in cases(fx):
            times = timed(client, paths, {"Authorization": f"Bearer {tokens[role]}"}, n, warmup)
            results.append((name, role, statistics.median(times), percentile(times, 0.95)))
            print(f"{name:<48} {role:<8} p50 {results[-1][2]:7.1f} ms   p95 {results[-1][3]:7.1f} ms", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=None,
                        help="requests before timing each case (default: every distinct request once)")
    args = parser.parse_args()

    from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey, free_port

    postgres = EmbeddedPostgres(Path(args.data_dir) / "postgres")
    valkey = EmbeddedValkey(Path(args.data_dir) / "valkey")
    postgres.start()
    valkey.start()
    wait_for_prewarm(postgres)
    api = None
    try:
        env = bench_env(postgres.url, valkey.url)
        os.environ.update(env)
        fx = asyncio.run(fixtures(postgres.url, random.Random(7)))
        print("data:", ", ".join(f"{k} {v:,}" for k, v in fx["counts"].items()), flush=True)
        port = free_port()
        api = start_api(env, port)
        results = run(fx, port, args.requests, args.warmup)
        print("\n| case | as | p50 ms | p95 ms |\n|---|---|---:|---:|")
        for name, role, p50, p95 in results:
            print(f"| {name} | {role} | {p50:.1f} | {p95:.1f} |")
    finally:
        if api is not None:
            api.terminate()
            api.wait(timeout=15)
        valkey.stop()
        postgres.stop()


if __name__ == "__main__":
    main()
