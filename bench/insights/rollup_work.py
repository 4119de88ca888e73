"""What the analytics rollup jobs cost on a data set analytics_latency.py has extended: the part
of analytics that grows with the CRM's size (the endpoints read only the rollups).

    ../../.venv/bin/python rollup_work.py --data-dir /tmp/mancrel-bench-analytics-full [--without-indexes]

Times, each in its own transaction that is rolled back (the rollups analytics_latency.py built
stay as they were): one day's rebuild in the middle of the data, the 5-minute job
(`analytics.refresh`: today, yesterday and the days changed since its watermark, set to 5 minutes
ago), the nightly job (`analytics.nightly`: the last 36 days), and every statement of one day's
rebuild on its own, with the scans its plan uses. The database is upgraded first;
`--without-indexes` drops the indexes migration 0025 added for these scans inside each measured
transaction (DDL rolls back with it): the "before" of that migration on the same data and cache.
Prints a Markdown table and writes results/rollup_work[-without-indexes].json.
"""

import argparse
import asyncio
import importlib.util
import json
import os
import re
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "crm"))
from common import bench_env  # noqa: E402  (bench/crm/common.py puts backend/ on the path)

ONE_DAY = date(2024, 6, 3)  # inside bench/crm's three years (2023-2025)
MIGRATION = HERE.parents[1] / "backend" / "migrations" / "versions" / "2026_12_06_0025_rollup_indexes.py"


def rollup_indexes() -> list[str]:
    """The index names migration 0025 creates (read from it, so the two cannot drift)."""
    spec = importlib.util.spec_from_file_location("rollup_indexes_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [name for name, *_ in module.INDEXES]


async def _timed(label: str, work, results: list[dict], drop: list[str], setup=None) -> None:
    from sqlalchemy import text

    from mancrel.core.db import get_sessionmaker

    async with get_sessionmaker()() as session:
        for name in drop:
            await session.execute(text(f'DROP INDEX "{name}"'))
        if setup is not None:
            await setup(session)
        started = time.perf_counter()
        extra = await work(session)
        seconds = time.perf_counter() - started
        await session.rollback()
    results.append({"work": label, "seconds": round(seconds, 3), **(extra or {})})
    print(f"{label:<58} {seconds:8.3f} s  {extra or ''}", flush=True)


def _scans(plan: str) -> str:
    """The scans of a plan, e.g. 'Seq Scan on activities; Index Scan using ix_... on deals'."""
    kinds = "Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan"
    found = re.findall(rf"((?:Parallel )?(?:{kinds})(?: using \S+)? on \S+)", plan)
    return "; ".join(dict.fromkeys(found))


STATEMENTS = ("DEALS", "STAGES", "PRODUCTS", "MESSAGES", "AUTOMATION", "ACTIVITIES", "FIRST_RESPONSES",
              "RESOLUTIONS", "CHANGED_DAYS")


async def run(drop: list[str]) -> dict:
    from sqlalchemy import text

    from mancrel.analytics import rollup, rollup_sql, tasks
    from mancrel.core.db import dispose_engine, get_sessionmaker, init_engine
    from mancrel.core.state import set_state

    init_engine()
    results: list[dict] = []
    await _timed(f"one day's rebuild ({ONE_DAY})", lambda s: rollup.rebuild(s, ONE_DAY, ONE_DAY), results, drop)

    async def five_minute_job(session):
        now = datetime.now(UTC)
        await set_state(session, tasks.WATERMARK, (now - timedelta(minutes=5)).isoformat())
        return await tasks.refresh(session, now=now)

    await _timed("5-minute job (analytics.refresh, watermark 5 min ago)", five_minute_job, results, drop)
    await _timed("nightly job (analytics.nightly, 36 days)", lambda s: tasks.nightly(s), results, drop)
    # CHANGED_DAYS looks back from the watermark less the job's overlap.
    params = rollup._params(ONE_DAY, ONE_DAY) | {"since": datetime.now(UTC) - timedelta(minutes=15)}
    for name in STATEMENTS:
        statement = getattr(rollup_sql, name)

        async def one(session, statement=statement):
            result = await session.execute(statement, params)
            if result.returns_rows:
                result.all()

        # An INSERT rewrites the day: its rows go first (untimed), as rollup.rebuild deletes them.
        target = re.search(r"INSERT INTO (\w+)", statement.text)

        async def clear(session, table=target.group(1) if target else None):
            if table is not None:
                await session.execute(text(f"DELETE FROM {table} WHERE day = :first"), params)  # noqa: S608

        await _timed(f"  {name} (one day)", one, results, drop, setup=clear)
        async with get_sessionmaker()() as session:
            for index in drop:
                await session.execute(text(f'DROP INDEX "{index}"'))
            plan = await session.execute(text(f"EXPLAIN {statement.text}"), params)
            results[-1]["scans"] = _scans("\n".join(r[0] for r in plan))
        print(f"      {results[-1]['scans']}", flush=True)
    await dispose_engine()
    return {"without_indexes": drop, "load_average": [round(x, 1) for x in os.getloadavg()], "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default="/tmp/mancrel-bench-analytics-full")  # noqa: S108
    parser.add_argument("--without-indexes", action="store_true",
                        help="measure with migration 0025's rollup indexes dropped (in each rolled-back transaction)")
    args = parser.parse_args()

    from mancrel.core.embedded import EmbeddedPostgres

    postgres = EmbeddedPostgres(Path(args.data_dir) / "postgres")
    postgres.start()
    try:
        os.environ.update(bench_env(postgres.url, "redis://127.0.0.1:1/0"))
        from mancrel.core.migrate import upgrade_to_head

        upgrade_to_head(postgres.url)
        load_before = [round(x, 1) for x in os.getloadavg()]
        out = asyncio.run(run(rollup_indexes() if args.without_indexes else []))
    finally:
        postgres.stop()
    out["load_average_before"] = load_before
    name = "rollup_work-without-indexes.json" if args.without_indexes else "rollup_work.json"
    (HERE / "results" / name).write_text(json.dumps(out, indent=2) + "\n")
    print("\n| work | seconds | scans |\n|---|---:|---|")
    for r in out["results"]:
        print(f"| {r['work'].strip()} | {r['seconds']} | {r.get('scans', '')} |")
    print(f"\nload average before {load_before}, after {out['load_average']}")


if __name__ == "__main__":
    main()
