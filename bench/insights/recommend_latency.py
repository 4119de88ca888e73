"""Latency of `GET /api/v1/contacts/{id}/recommendations?limit=10` through one API process.

    ../../.venv/bin/python recommend_latency.py [--data-dir DIR] [--requests 300]

Starts the embedded PostgreSQL holding what generate.py loaded and a Valkey, then one
`mancrel serve` process (uvicorn, one worker), and times sequential requests from one client
with keep-alive, as a manager and as the rep who owns the contacts, over customers with a
profile (and some without: the popularity path), after one warm-up pass over every distinct
request. Prints p50/p95/p99; goal p95 < 50 ms. The machine's load average is printed too: the
figures are only comparable at similar load.
"""

import argparse
import asyncio
import os
import random
import statistics
import time
from pathlib import Path

import asyncpg
import httpx
from common import DEFAULT_DATA_DIR, bench_env, percentile, start_api


async def fixtures(url: str, n: int) -> dict:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT p.contact_id, c.owner_id FROM contact_profiles p "
                                "JOIN contacts c ON c.id = p.contact_id ORDER BY p.contact_id LIMIT 20000")
        cold = await conn.fetch("SELECT id, owner_id FROM contacts c WHERE NOT EXISTS "
                                "(SELECT 1 FROM contact_profiles p WHERE p.contact_id = c.id) LIMIT 50")
        manager = await conn.fetchval("SELECT id FROM users WHERE role = 'manager' ORDER BY email LIMIT 1")
        counts = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM products) products, (SELECT count(*) FROM contacts) contacts, "
            "(SELECT count(*) FROM deal_line_items) line_items, (SELECT count(*) FROM messages) messages, "
            "(SELECT count(*) FROM contact_product_interests) interests")
    finally:
        await conn.close()
    sample = random.Random(7).sample(list(rows), min(n, len(rows)))
    return {"warm": [(r["contact_id"], r["owner_id"]) for r in sample],
            "cold": [(r["id"], r["owner_id"]) for r in cold], "manager": manager, "counts": dict(counts)}


def timed(client: httpx.Client, calls: list[tuple[str, dict]]) -> list[float]:
    for path, headers in calls:  # warm-up: every distinct request once
        client.get(path, headers=headers).raise_for_status()
    times = []
    for path, headers in calls:
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        assert response.json()["items"], path
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey, free_port
    from mancrel.core.permissions import Role
    from mancrel.core.security import create_access_token

    postgres = EmbeddedPostgres(Path(args.data_dir) / "postgres")
    valkey = EmbeddedValkey(Path(args.data_dir) / "valkey")
    postgres.start()
    valkey.start()
    api = None
    try:
        env = bench_env(postgres.url, valkey.url)
        os.environ.update(env)
        fx = asyncio.run(fixtures(postgres.url, args.requests))
        print("data:", ", ".join(f"{k} {v:,}" for k, v in fx["counts"].items()), flush=True)
        port = free_port()
        api = start_api(env, port)

        def bearer(user_id, role: Role) -> dict:
            return {"Authorization": f"Bearer {create_access_token(user_id, role)[0]}"}

        manager = bearer(fx["manager"], Role.manager)
        cases = {
            "customer with a profile, as manager": [
                (f"/api/v1/contacts/{c}/recommendations?limit=10", manager) for c, _ in fx["warm"]],
            "customer with a profile, as its rep": [
                (f"/api/v1/contacts/{c}/recommendations?limit=10", bearer(o, Role.rep)) for c, o in fx["warm"] if o],
            "new contact (popularity), as manager": [
                (f"/api/v1/contacts/{c}/recommendations?limit=10", manager) for c, _ in fx["cold"]],
        }
        load = os.getloadavg()
        print(f"load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores", flush=True)
        rows = []
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for name, calls in cases.items():
                if not calls:
                    continue
                times = timed(client, calls)
                rows.append((name, len(times), statistics.median(times), percentile(times, 0.95),
                             percentile(times, 0.99)))
                print(f"{name:<40} n={len(times):<5} p50 {rows[-1][2]:6.1f} ms  p95 {rows[-1][3]:6.1f} ms  "
                      f"p99 {rows[-1][4]:6.1f} ms", flush=True)
        load = os.getloadavg()
        print(f"load average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        print("\n| case | n | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|")
        for name, n, p50, p95, p99 in rows:
            print(f"| {name} | {n} | {p50:.1f} | {p95:.1f} | {p99:.1f} |")
    finally:
        if api is not None:
            api.terminate()
            api.wait(timeout=15)
        valkey.stop()
        postgres.stop()


if __name__ == "__main__":
    main()
