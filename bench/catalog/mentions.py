"""Time to find the products one customer message names (catalog/mentions.py: exact SKUs and titles,
then loose mentions), per message, at catalogue sizes that grow in one database.

    ../../.venv/bin/python mentions.py [--sizes 1000,50000] [--rounds 3]

Starts its own embedded PostgreSQL and Valkey and stores `mentions_data.scaled()`'s products through
the catalogue's own upsert, first up to the smallest size, then on to the next. The messages are the
200 of `bench/ai/replies_questions.jsonl` and the examples of `mentions_examples.jsonl`; each is timed
`--rounds` times, each call in its own unit of work as the reply step runs it (after a first
untimed pass, so the figures are of a warm cache, as a running system is). Reports per size the
p50/p95/max of the old path (exact SKU and whole-title reads of catalog/matching.py) and of the new
one (catalog/mentions.py's `mentions()`, loose mentions included), and the plan of one candidate read.
"""

import argparse
import asyncio
import json
import time
from pathlib import Path

import mentions_data

HERE = Path(__file__).resolve().parent


def messages() -> list[str]:
    texts = [json.loads(line)["text"] for line in (HERE.parent / "ai" / "replies_questions.jsonl").read_text()
             .splitlines() if line.strip()]
    texts += [json.loads(line)["text"] for line in (HERE / "mentions_examples.jsonl").read_text().splitlines()
              if line.strip()]
    return texts


async def time_messages(texts: list[str], rounds: int) -> dict:
    """Per message, the old path (catalog/matching.py's SKU and whole-title reads, as the reply step
    ran them) and the new one (catalog/mentions.py, loose mentions included)."""
    from mancrel.catalog import matching, mentions
    from mancrel.core.db import unit_of_work

    async def old(session, text):
        await matching.products_by_skus(session, matching.sku_candidates(text))
        await matching.products_named_in(session, text)

    timings: dict[str, list[float]] = {"before_ms": [], "after_ms": []}
    for n in range(rounds + 1):
        for text in texts:
            for name, call in (("before_ms", old), ("after_ms", mentions.mentions)):
                async with unit_of_work() as session:
                    started = time.perf_counter()
                    await call(session, text)
                    elapsed = (time.perf_counter() - started) * 1000
                if n:  # the first pass warms the cache
                    timings[name].append(elapsed)
    pct = mentions_data.percentile
    return {"calls": len(timings["after_ms"]),
            **{name: {"p50": round(pct(v, 50), 1), "p95": round(pct(v, 95), 1), "max": round(max(v), 1)}
               for name, v in timings.items()}}


async def loose_plan(text: str) -> list[str]:
    """EXPLAIN ANALYZE of the candidate query for one message."""
    from sqlalchemy import text as sql

    from mancrel.catalog import mentions
    from mancrel.catalog import title_words as words
    from mancrel.core.db import unit_of_work

    captured = []
    async with unit_of_work() as session:
        original = session.execute

        async def explain(statement, *args, **kwargs):
            if not getattr(statement, "is_select", False):  # the planner settings around it
                return await original(statement, *args, **kwargs)
            compiled = statement.compile(session.bind, compile_kwargs={"literal_binds": True})
            rows = await original(sql(f"EXPLAIN (ANALYZE, COSTS OFF) {compiled}"))
            captured.extend(r[0] for r in rows)
            return await original(statement, *args, **kwargs)

        session.execute = explain
        await mentions._candidates(session, mentions._query_words(words.tokens(text)))
    return captured


async def run(sizes: list[int], rounds: int) -> dict:
    from sqlalchemy import text as sql

    from mancrel.core.db import dispose_engine, init_engine, unit_of_work

    products = mentions_data.scaled(max(sizes))
    texts = messages()
    report, stored = {}, 0
    init_engine()
    try:
        for size in sizes:
            await mentions_data.load_catalogue(products[stored:size])
            stored = size
            async with unit_of_work() as session:
                for table in ("products", "product_variants"):  # as autovacuum would after a big sync
                    await session.execute(sql(f"ANALYZE {table}"))
            report[size] = await time_messages(texts, rounds)
            report[size]["plan"] = await loose_plan(texts[1])
            print(json.dumps({size: {k: v for k, v in report[size].items() if k != "plan"}}), flush=True)
    finally:
        await dispose_engine()
    return report


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("--sizes", default="1000,50000")
    cli.add_argument("--rounds", type=int, default=3)
    args = cli.parse_args()
    stack = mentions_data.start_servers()
    try:
        report = asyncio.run(run(sorted(int(s) for s in args.sizes.split(",")), args.rounds))
    finally:
        stack.stop()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
