"""The CRM under concurrent users: an open-loop mix of reads and writes through one API process.

    ../../.venv/bin/python load.py [--data-dir DIR] [--rate 60] [--seconds 60] [--writes 0.3]

Uses the data generate.py loaded. Starts the embedded PostgreSQL and a Valkey, then one
`mancrel serve` process (uvicorn, one worker), like measure.py. Then:

1. Cold: each kind of request once, one after another, straight after the API started
   (its first request of each route: imports, the SQLAlchemy statement cache, PostgreSQL's
   plans and any page not in shared buffers). Reported on its own, never mixed in.
2. Open loop: requests leave at a fixed rate (`--rate` per second, Poisson arrivals) for
   `--seconds`, whether or not the earlier ones have answered, from up to 200 connections,
   as a manager and three reps. A request's latency runs from the moment it was due to its
   last byte, so time spent waiting behind slow requests counts (no coordinated omission).
   `--writes` of them write: a new contact, a contact edit, a deal moved to another stage.

Prints, per kind and in total: requests, errors (non-2xx other than an expected 412/409),
p50/p95/p99 in ms, and the rate actually achieved. Each run adds the contacts it creates.
"""

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from common import DEFAULT_DATA_DIR, bench_env, start_api
from measure import percentile, wait_for_prewarm

READS = ("contacts list", "name search", "contact", "contact timeline", "board")
WRITES = ("create contact", "edit contact", "move deal")


async def fixtures(url: str) -> dict:
    conn = await asyncpg.connect(url)
    try:
        users = {r["role"]: [x for x in r["ids"]] for r in await conn.fetch(
            "SELECT role, array_agg(id ORDER BY email) ids FROM users WHERE email LIKE 'bench-%' GROUP BY role")}
        reps = users["rep"][:3]
        own = {rep: [r["id"] for r in await conn.fetch(
            "SELECT id FROM contacts WHERE owner_id = $1 AND deleted_at IS NULL LIMIT 100", rep)] for rep in reps}
        names = [f"{r['first_name']} {r['last_name']}" for r in await conn.fetch(
            "SELECT first_name, last_name FROM contacts TABLESAMPLE SYSTEM (1) LIMIT 100")]
        deals = [r["id"] for r in await conn.fetch(
            "SELECT id FROM deals WHERE deleted_at IS NULL AND status = 'open' ORDER BY random() LIMIT 500")]
        pipeline = await conn.fetchval("SELECT id FROM pipelines WHERE is_default")
        stages = [r["id"] for r in await conn.fetch(
            "SELECT id FROM pipeline_stages WHERE pipeline_id = $1 AND kind = 'open' ORDER BY position", pipeline)]
    finally:
        await conn.close()
    return {"manager": users["manager"][0], "reps": reps, "own": own, "names": names, "deals": deals,
            "pipeline": pipeline, "stages": stages}


class Mix:
    """Builds one request of a kind: (method, path, json body, user id)."""

    def __init__(self, fx: dict, rng: random.Random) -> None:
        self.fx, self.rng = fx, rng

    def request(self, kind: str) -> tuple[str, str, dict | None, uuid.UUID]:
        fx, rng = self.fx, self.rng
        rep = rng.choice(fx["reps"])
        contact = rng.choice(fx["own"][rep])
        if kind == "contacts list":
            return "GET", "/api/v1/contacts?limit=50", None, rep
        if kind == "name search":
            return "GET", f"/api/v1/contacts?limit=50&{httpx.QueryParams({'q': rng.choice(fx['names'])})}", None, rep
        if kind == "contact":
            return "GET", f"/api/v1/contacts/{contact}", None, rep
        if kind == "contact timeline":
            return "GET", f"/api/v1/contacts/{contact}/timeline?limit=50", None, rep
        if kind == "board":
            return "GET", f"/api/v1/pipelines/{fx['pipeline']}/board?limit=25", None, fx["manager"]
        if kind == "create contact":
            body = {"first_name": "Load", "last_name": uuid.uuid4().hex[:8],
                    "emails": [f"load-{uuid.uuid4().hex}@bench.example"]}
            return "POST", "/api/v1/contacts", body, rep
        if kind == "edit contact":
            return "PATCH", f"/api/v1/contacts/{contact}", {"title": rng.choice(["Buyer", "Owner", "CTO"])}, rep
        deal = rng.choice(fx["deals"])
        return "POST", f"/api/v1/deals/{deal}/move", {"stage_id": str(rng.choice(fx["stages"]))}, fx["manager"]


async def one(client: httpx.AsyncClient, tokens: dict, request: tuple, due: float) -> tuple[float, int]:
    method, path, body, user = request
    response = await client.request(method, path, json=body, headers={"Authorization": f"Bearer {tokens[user]}"})
    return (time.perf_counter() - due) * 1000, response.status_code


def ok(kind: str, status: int) -> bool:
    # Two writers on one record: a 412 "reload" (or 409) is the right answer, not a failure.
    return status < 300 or (kind in WRITES and status in (409, 412))


async def cold(client: httpx.AsyncClient, tokens: dict, mix: Mix) -> list[tuple[str, float, int]]:
    results = []
    for kind in (*READS, *WRITES):
        started = time.perf_counter()
        latency, status = await one(client, tokens, mix.request(kind), started)
        results.append((kind, latency, status))
    return results


async def open_loop(client: httpx.AsyncClient, tokens: dict, mix: Mix, rate: float, seconds: float,
                    writes: float, rng: random.Random) -> tuple[dict[str, list[tuple[float, int]]], float]:
    results: dict[str, list[tuple[float, int]]] = {kind: [] for kind in (*READS, *WRITES)}

    async def fire(kind: str, request: tuple, due: float) -> None:
        try:
            results[kind].append(await one(client, tokens, request, due))
        except httpx.HTTPError:
            results[kind].append(((time.perf_counter() - due) * 1000, 599))

    tasks = []
    start = time.perf_counter()
    due = start
    while due - start < seconds:
        due += rng.expovariate(rate)
        kind = rng.choice(WRITES) if rng.random() < writes else rng.choice(READS)
        request = mix.request(kind)
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(fire(kind, request, due)))
    await asyncio.gather(*tasks)
    return results, len(tasks) / (time.perf_counter() - start)


def report(cold_results: list, results: dict, achieved: float, rate: float) -> None:
    print("\nCold (first request of each kind after the API started, one at a time):\n")
    print("| kind | ms | status |\n|---|---:|---:|")
    for kind, latency, status in cold_results:
        print(f"| {kind} | {latency:.1f} | {status} |")
    print(f"\nOpen loop, {rate:.0f} requests/s offered, {achieved:.1f}/s sent and answered:\n")
    print("| kind | requests | errors | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|")
    every = []
    for kind, rows in [*results.items(), ("all", None)]:
        rows = rows if rows is not None else every
        if kind != "all":
            every.extend(rows)
        times = [t for t, _ in rows]
        errors = sum(1 for _, status in rows if not ok(kind, status)) if kind != "all" else sum(
            1 for k, rs in results.items() for _, s in rs if not ok(k, s))
        if times:
            print(f"| {kind} | {len(times)} | {errors} | {statistics.median(times):.1f} | "
                  f"{percentile(times, 0.95):.1f} | {percentile(times, 0.99):.1f} |")


async def drive(port: int, fx: dict, args: argparse.Namespace) -> None:
    from mancrel.core.permissions import Role
    from mancrel.core.security import create_access_token

    tokens = {fx["manager"]: create_access_token(fx["manager"], Role.manager)[0]}
    tokens.update({rep: create_access_token(rep, Role.rep)[0] for rep in fx["reps"]})
    rng = random.Random(11)
    mix = Mix(fx, rng)
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits) as client:
        cold_results = await cold(client, tokens, mix)
        results, achieved = await open_loop(client, tokens, mix, args.rate, args.seconds, args.writes, rng)
    report(cold_results, results, achieved, args.rate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--rate", type=float, default=60.0, help="requests per second offered")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--writes", type=float, default=0.3, help="share of requests that write")
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
        fx = asyncio.run(fixtures(postgres.url))
        port = free_port()
        api = start_api(env, port)
        asyncio.run(drive(port, fx, args))
    finally:
        if api is not None:
            api.terminate()
            api.wait(timeout=15)
        valkey.stop()
        postgres.stop()


if __name__ == "__main__":
    main()
