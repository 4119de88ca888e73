"""Precision and recall of the products found in customers' messages: before (exact SKU and whole
title, what catalog/matching.py did alone) and after (catalog/mentions.py: plus loose mentions).

    ../../.venv/bin/python mentions_quality.py ../ai/replies_questions.jsonl [--show-misses]

Starts its own embedded PostgreSQL, stores `bench/ai/replies_catalogue.py`'s 1,000 products
through the catalogue's own upsert, and reads a JSON-lines file of `{text, expected: [product
SKUs], kind?}`. `replies_questions.jsonl` is read as it is: its `skus` (variant SKUs too) are mapped
to their product's SKU, and its kind is the `[...]` at the start of `notes`.

Per message, the products found are compared with the expected ones. Reported per method and per
kind: precision (found products that were expected, over all found), recall (expected products
found, over all expected), messages with a wrong product, and messages naming no product where one
was found. Methods:
- `before`: exact SKUs, then whole titles, as catalog/matching.py found them (the old code path);
- `after`: `mentions.mentions()`: exact (a title written only inside a longer one no longer counts),
  then loose, ambiguous ones included; the reply step takes the loose ones when nothing is exact;
- `after, single`: exact, plus loose mentions of a single product (what a customer profile counts).
"""

import argparse
import asyncio
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import mentions_data

METHODS = ("before", "after", "after, single")


def read_messages(path: Path, products: list[dict]) -> list[dict]:
    product_of = {p["sku"]: p["sku"] for p in products}
    product_of |= {v["sku"]: p["sku"] for p in products for v in p["variants"]}
    messages = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        expected = row.get("expected", row.get("skus", []))
        kind = row.get("kind") or (re.match(r"\[([^\]]+)\]", row.get("notes", "")) or [None, "all"])[1]
        messages.append({"id": row.get("id", str(len(messages) + 1)), "text": row["text"], "kind": kind,
                         "expected": sorted({product_of.get(s, s) for s in expected})})
    return messages


async def before(session, text: str) -> list[tuple[object, str]]:
    """What the reply step and the profiles used before catalog/mentions.py, kept here to compare."""
    from mancrel.catalog import matching

    found: dict = {}
    for product in await matching.products_by_skus(session, matching.sku_candidates(text)):
        found.setdefault(product.id, "sku")
    for product in await matching.products_named_in(session, text):
        found.setdefault(product.id, "name")
    return list(found.items())


async def found_by_method(text: str, sku_of: dict) -> dict[str, list[tuple[str, str]]]:
    from mancrel.catalog import mentions
    from mancrel.core.db import unit_of_work

    async with unit_of_work() as session:
        old = await before(session, text)
        now = await mentions.mentions(session, text)
    pairs = lambda ms: [(sku_of[m.product.id], m.match + ("?" if m.ambiguous else "")) for m in ms]  # noqa: E731
    return {"before": [(sku_of[pid], how) for pid, how in old], "after": pairs(now),
            "after, single": pairs([m for m in now if not m.ambiguous])}


def score(rows: list[dict]) -> dict:
    totals = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for kind in ("all", row["kind"]):
            for method in METHODS:
                found = {sku for sku, _ in row["found"][method]}
                expected = set(row["expected"])
                t = totals[(kind, method)]
                t["messages"] += 1
                t["found"] += len(found)
                t["right"] += len(found & expected)
                t["expected"] += len(expected)
                t["with_wrong_product"] += bool(found - expected)
                t["none_expected_but_found"] += bool(found and not expected)
    report = {}
    for (kind, method), t in sorted(totals.items()):
        report.setdefault(kind, {})[method] = {
            "messages": t["messages"],
            "precision": round(t["right"] / t["found"], 3) if t["found"] else None,
            "recall": round(t["right"] / t["expected"], 3) if t["expected"] else None,
            "found": t["found"], "right": t["right"], "expected": t["expected"],
            "messages_with_a_wrong_product": t["with_wrong_product"],
            "messages_naming_none_where_one_was_found": t["none_expected_but_found"]}
    return report


async def run(path: Path) -> list[dict]:
    from mancrel.core.db import dispose_engine, init_engine

    products = mentions_data.replies_catalogue.generate()
    messages = read_messages(path, products)
    init_engine()
    try:
        sku_of = await mentions_data.load_catalogue(products)
        for message in messages:
            message["found"] = await found_by_method(message["text"], sku_of)
    finally:
        await dispose_engine()
    return messages


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("file", type=Path)
    cli.add_argument("--show-misses", action="store_true", help="print each message whose products differ")
    args = cli.parse_args()
    stack = mentions_data.start_servers()
    try:
        rows = asyncio.run(run(args.file))
    finally:
        stack.stop()
    if args.show_misses:
        for row in rows:
            if {s for s, _ in row["found"]["after"]} != set(row["expected"]):
                print(json.dumps({"id": row["id"], "kind": row["kind"], "expected": row["expected"],
                                  "after": row["found"]["after"], "text": row["text"][:160]}, ensure_ascii=False),
                      file=sys.stderr)
    print(json.dumps(score(rows), indent=1))


if __name__ == "__main__":
    main()
