"""Catalogue sync benchmarks (issue #5): webhook acknowledgement, freshness, reconciliation.

    ../../.venv/bin/python bench.py ack [--seconds 15] [--rates 1500,2000] [--processes 2]
    ../../.venv/bin/python bench.py freshness [--rate 200] [--seconds 20] [--workers 2]
                                              [--worker default|catalog]
    ../../.venv/bin/python bench.py reconcile [--products 100000]

Each run starts its own embedded PostgreSQL and Valkey under /tmp/mancrel-bench-catalog,
one API process (`mancrel serve`) and, for freshness, the default worker (`mancrel worker`:
every queue, so product embeddings compete with the drains) and beat, all on this machine:
the load generator shares the same 2 cores. `ack` offers a fixed rate with loadgen.py
(open loop: latency counts from each delivery's scheduled time).
"""

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BACKEND = HERE.parents[1] / "backend"
sys.path.insert(0, str(BACKEND))
SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"
WHSEC = "whsec_YmVuY2gtd2ViaG9vay1zZWNyZXQta2V5LWJ5dGVz"


async def dispose_engine() -> None:
    from mancrel.core.db import dispose_engine as dispose
    from mancrel.core.redis import close_redis

    await close_redis()
    await dispose()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Stack:
    """Embedded servers plus the mancrel processes a benchmark needs."""

    def __init__(self) -> None:
        from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey, free_port

        self.root = Path(tempfile.mkdtemp(prefix="mancrel-bench-catalog-"))
        os.chmod(self.root, 0o755)
        self.postgres, self.valkey = EmbeddedPostgres(self.root / "pg"), EmbeddedValkey(self.root / "valkey")
        self.port = free_port()
        self.processes: list[subprocess.Popen] = []

    def start(self) -> None:
        self.postgres.start()
        self.valkey.start()
        os.environ.update(DATABASE_URL=self.postgres.url, REDIS_URL=self.valkey.url, MANCREL_ENV="development",
                          MANCREL_SECRET_KEY=SECRET_KEY, MANCREL_DEMO="0",
                          MANCREL_LOG_LEVEL=os.environ.get("MANCREL_BENCH_LOG_LEVEL", "WARNING"),
                          MANCREL_DATA_DIR=str(self.root / "data"),
                          # the reconcile bench polls a feed on 127.0.0.1
                          MANCREL_FETCH_ALLOWED_NETWORKS="127.0.0.0/8,::1/128")
        from mancrel.core.config import get_settings
        from mancrel.core.migrate import upgrade_to_head

        get_settings.cache_clear()
        upgrade_to_head(self.postgres.url)

    def spawn(self, *args: str, log: str) -> subprocess.Popen:
        out = open(self.root / log, "ab")  # noqa: SIM115 (kept open for the child's life)
        process = subprocess.Popen([sys.executable, "-c", "from mancrel.cli import main; main()", *args],
                                   cwd=BACKEND, env=os.environ.copy(), stdout=out, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def serve(self) -> str:
        from mancrel.core.embedded import wait_for_port

        self.spawn("serve", "--port", str(self.port), log="api.log")
        wait_for_port(self.port)
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        for process in self.processes:  # only the children this run started
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.valkey.stop()
        self.postgres.stop()
        if os.environ.get("MANCREL_BENCH_KEEP"):
            print(f"kept {self.root}", file=sys.stderr)
        else:
            shutil.rmtree(self.root, ignore_errors=True)


async def setup_source(kind: str = "standard", poll_url: str | None = None):
    from mancrel.catalog import source_service
    from mancrel.catalog.schemas import SourceCreate
    from mancrel.core.db import unit_of_work
    from mancrel.core.permissions import Role
    from mancrel.user import service as user_service
    from mancrel.user.schemas import UserCreate

    async with unit_of_work() as session:
        source = await source_service.create(session, actor=None, data=SourceCreate(
            name=f"bench-{kind}", kind=kind, webhook_secret=WHSEC if kind == "standard" else None,
            poll_url=poll_url))
        admin = await user_service.create(session, data=UserCreate(
            email="bench-admin@example.com", password="bench-password-123", role=Role.admin))
    return source.id, admin


def signed(payload: dict) -> tuple[bytes, dict[str, str]]:
    from tests.catalog.factories import standard_headers

    body = json.dumps(payload).encode()
    return body, standard_headers(body, secret=WHSEC)


def payload(i: int, prefix: str) -> dict:
    return {"type": "product.updated", "timestamp": "2026-11-27T10:00:00Z", "data": {
        "id": f"{prefix}-{i}", "title": f"Bench product {i}", "status": "active", "updated_at": "2026-11-27T10:00:00Z",
        "variants": [{"id": f"{prefix}-{i}-v", "sku": f"{prefix.upper()}-{i}", "price": "20.00", "currency": "EUR",
                      "stock": 5}]}}


def offered_load(port: int, path: str, *, rate: float, seconds: float, processes: int, prefix: str,
                 start_at: float = 0.0, secret: str = WHSEC, request: str | None = None) -> dict:
    """One open-loop run of loadgen.py (its own processes, raw keep-alive HTTP); `request` names
    another payload builder (bench/inbox's signed Mailgun forwards)."""
    out = subprocess.run([sys.executable, str(Path(__file__).with_name("loadgen.py")), "--port", str(port),
                          "--path", path, "--secret", secret, "--rate", str(rate), "--seconds", str(seconds),
                          "--processes", str(processes), "--prefix", prefix, "--start-at", str(start_at),
                          *(["--request", request] if request else [])],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


async def count_stored() -> dict[str, int]:
    from sqlalchemy import text

    from mancrel.core.db import unit_of_work

    async with unit_of_work() as session:
        events = (await session.execute(text("SELECT count(*) FROM catalog_events"))).scalar_one()
        jobs = (await session.execute(text(
            "SELECT count(*) FROM outbox_messages WHERE task_name = 'catalog.drain_events'"))).scalar_one()
    return {"events": events, "drain_jobs": jobs}


async def run_ack(args, stack: "Stack") -> dict:
    try:
        source_id, _ = await setup_source()
        stack.serve()
        path = f"/webhook/catalog/{source_id}"
        offered_load(stack.port, path, rate=200, seconds=3, processes=1, prefix="warm")  # pools, caches
        runs = []
        for rate in args.rates:
            runs.append(offered_load(stack.port, path, rate=rate, seconds=args.seconds, processes=args.processes,
                                     prefix=f"r{rate}-") | {"load_average": os.getloadavg()[0]})
        return {"benchmark": "ack", "runs": runs, "stored": await count_stored()}
    finally:
        await dispose_engine()


async def run_freshness(args, stack: "Stack") -> dict:
    """Deliveries from loadgen.py at a fixed rate (its own processes); meanwhile this process
    samples readability through `GET /api/v1/products?sku=` for one delivery every
    `--sample-interval` seconds, from the delivery's scheduled send time."""
    import httpx

    from mancrel.core.security import create_access_token

    try:
        source_id, admin = await setup_source()
        base = stack.serve()
        if args.worker == "default":  # as `mancrel run` starts it: every queue, embeddings included, and beat
            stack.spawn("worker", "-c", str(args.workers), log="worker.log")
            stack.spawn("beat", log="beat.log")
        else:  # a worker of the catalogue's queue alone (the figures of issue #5)
            stack.spawn("worker", "-Q", "catalog", "-c", str(args.workers), log="worker.log")
        token, _ = create_access_token(admin.id, admin.role)
        auth = {"Authorization": f"Bearer {token}"}
        await asyncio.sleep(8)  # let the worker come up before the clock starts
        start_at, processes = time.time() + 3, 2
        share_rate = args.rate / processes
        sending = asyncio.create_task(asyncio.to_thread(
            offered_load, stack.port, f"/webhook/catalog/{source_id}", rate=args.rate, seconds=args.seconds,
            processes=processes, prefix="fresh", start_at=start_at))
        freshness: list[float] = []
        missed = 0
        async with httpx.AsyncClient(timeout=30) as client:

            async def sample(i: int) -> None:
                nonlocal missed
                due = start_at + i / share_rate  # share 0's i-th delivery
                await asyncio.sleep(max(0.0, due - time.time()))
                while time.time() - due < 60:
                    found = await client.get(f"{base}/api/v1/products", params={"sku": f"FRESH0-{i}"}, headers=auth)
                    if found.json()["items"]:
                        freshness.append(time.time() - due)
                        return
                    await asyncio.sleep(args.poll_interval)
                missed += 1

            step = max(1, int(args.sample_interval * share_rate))
            await asyncio.gather(*(sample(i) for i in range(0, int(share_rate * args.seconds), step)))
        acks = await sending
        embedded = (await sent_to_embedded(start_at, share_rate, expected=int(share_rate * args.seconds) * processes)
                    if args.worker == "default" else "not run: no worker serves the ai queue")
        return {"benchmark": "freshness", "rate_per_s": args.rate, "seconds": args.seconds, "workers": args.workers,
                "worker": args.worker, "every_event_sent_to_embedded_ms": embedded,
                "acks": {k: acks[k] for k in ("sent", "accepted_per_s", "statuses", "p50_ms", "p99_ms")},
                "api_sampled": {"samples": len(freshness), "missed_after_60s": missed,
                                "p50_ms": round(percentile(freshness, 50) * 1000, 1),
                                "p99_ms": round(percentile(freshness, 99) * 1000, 1),
                                "max_ms": round(max(freshness) * 1000, 1)},
                "every_event_sent_to_applied_ms": await sent_to_applied(start_at, share_rate),
                "received_to_processed_ms": await processing_lag(), "load_average": os.getloadavg()[0]}
    finally:
        await dispose_engine()


async def sent_to_applied(start_at: float, share_rate: float) -> dict[str, float]:
    """For every delivery: from its scheduled send time to the worker's `processed_at`
    (stamped just before the upsert's commit), from the event rows. Product ids are
    fresh<share>-<i>, due at start_at + i / share_rate."""
    from sqlalchemy import text

    from mancrel.core.db import unit_of_work

    async with unit_of_work() as session:
        rows = (await session.execute(text(
            "SELECT external_id, extract(epoch FROM processed_at) FROM catalog_events"
            " WHERE external_id LIKE 'fresh%' AND processed_at IS NOT NULL"))).all()
    lags = [float(applied) - (start_at + int(external_id.split("-")[1]) / share_rate) for external_id, applied in rows]
    return {"events": len(lags), "p50": round(percentile(lags, 50) * 1000, 1),
            "p99": round(percentile(lags, 99) * 1000, 1), "max": round(max(lags) * 1000, 1)}


async def sent_to_embedded(start_at: float, share_rate: float, *, expected: int,
                           wait: float = 180.0) -> dict[str, float]:
    """For every delivered product: from its scheduled send time to its vector's commit
    (`embeddings.updated_at`), waiting up to `wait` s after sending for the embedding
    backlog to clear. What semantic search and reply grounding wait for."""
    from sqlalchemy import text

    from mancrel.core.db import unit_of_work

    query = text("SELECT p.external_id, extract(epoch FROM e.updated_at) FROM embeddings e"
                 " JOIN products p ON p.id = e.entity_id WHERE e.entity_type = 'product'"
                 " AND p.external_id LIKE 'fresh%'")
    deadline = time.time() + wait
    while True:
        async with unit_of_work() as session:
            rows = (await session.execute(query)).all()
        if len(rows) >= expected or time.time() > deadline:
            break
        await asyncio.sleep(1)
    lags = [float(at) - (start_at + int(external_id.split("-")[1]) / share_rate) for external_id, at in rows]
    if not lags:
        return {"embedded": 0, "of": expected}
    return {"embedded": len(lags), "of": expected, "p50": round(percentile(lags, 50) * 1000, 1),
            "p99": round(percentile(lags, 99) * 1000, 1), "max": round(max(lags) * 1000, 1)}


async def processing_lag() -> dict[str, float]:
    """From the event rows: receipt (before the ack) to the commit of the product upsert."""
    from sqlalchemy import text

    from mancrel.core.db import unit_of_work

    async with unit_of_work() as session:
        row = (await session.execute(text(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag), percentile_cont(0.99) WITHIN GROUP (ORDER BY lag)"
            " FROM (SELECT extract(epoch FROM processed_at - received_at) * 1000 AS lag FROM catalog_events"
            " WHERE processed_at IS NOT NULL) AS lags"))).one()
    return {"p50": round(row[0] or 0, 1), "p99": round(row[1] or 0, 1)}


async def run_reconcile(args, stack: "Stack") -> dict:
    from mancrel.catalog import sync
    from mancrel.core.db import unit_of_work
    from mancrel.core.embedded import free_port, wait_for_port

    feed_port = free_port()
    feed_script = str(Path(__file__).with_name("feed_server.py"))
    try:
        source_id, _ = await setup_source("feed", poll_url=f"http://127.0.0.1:{feed_port}/feed")
        results = {"benchmark": "reconcile", "products": args.products}
        for label, extra in (("first_load", []), ("daily", ["--changed", "0.01", "--deleted", "0.005"])):
            feed = subprocess.Popen([sys.executable, feed_script, str(feed_port), str(args.products), *extra])
            wait_for_port(feed_port)
            try:
                began = time.perf_counter()
                async with unit_of_work() as session:
                    result = await sync.poll(session, source_id, full=True)
                results[label] = result.model_dump() | {"seconds": round(time.perf_counter() - began, 1)}
            finally:
                feed.terminate()
                feed.wait()
        return results
    finally:
        await dispose_engine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="benchmark", required=True)
    ack = sub.add_parser("ack")
    ack.add_argument("--seconds", type=int, default=15)
    ack.add_argument("--rates", type=lambda v: [float(r) for r in v.split(",")], default=[1500.0],
                     help="offered deliveries/s, comma-separated: one open-loop run each")
    ack.add_argument("--processes", type=int, default=2, help="load generator processes")
    fresh = sub.add_parser("freshness")
    fresh.add_argument("--rate", type=int, default=200)
    fresh.add_argument("--seconds", type=int, default=20)
    fresh.add_argument("--workers", type=int, default=2, help="worker children (mancrel worker's default: 2)")
    fresh.add_argument("--worker", choices=["default", "catalog"], default="default",
                       help="default: `mancrel worker` serving every queue, plus beat, as `mancrel run` starts "
                            "them; catalog: a worker of the catalogue's queue only")
    fresh.add_argument("--sample-interval", type=float, default=0.25, help="seconds between sampled deliveries")
    fresh.add_argument("--poll-interval", type=float, default=0.05)
    reconcile = sub.add_parser("reconcile")
    reconcile.add_argument("--products", type=int, default=100_000)
    args = parser.parse_args()
    runner = {"ack": run_ack, "freshness": run_freshness, "reconcile": run_reconcile}[args.benchmark]
    stack = Stack()
    try:
        stack.start()
        print(json.dumps(asyncio.run(runner(args, stack))))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
