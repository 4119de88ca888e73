"""Load a shop's purchase history written as files (by someone who never saw our code) into the
embedded database exactly as generate.py loads its own, and write holdout.json: then
recommend_quality.py measures the recommender on it unchanged.

    ../../.venv/bin/python load_history.py DIR --data-dir /tmp/reco-independent
    ../../.venv/bin/python recommend_quality.py --data-dir /tmp/reco-independent --users 1000

DIR holds (JSON Lines, one object a line, except meta.json):
- meta.json      {"currency": "EUR", "split": ISO datetime, "end": ISO datetime}
- products.jsonl {"sku", "title", "description", "tags": [...], "price": "12.50", "in_stock": bool (now),
                  "durable": bool, "repurchase_days": int | null}
- customers.jsonl {"customer_id", "name", "email"}
- orders.jsonl   {"customer_id", "at", "items": [{"sku", "quantity", "unit_price"}]} (before and after the split)
- messages.jsonl {"customer_id", "at", "subject", "text"} (customer emails)

What the files become, through generate.store(): one active product with one variant per line of
products.jsonl (its vector from the model, as the search index embeds it; a consumable carries
the `repurchase-<N>d` tag the recommender reads its interval from, one with no interval the
`consumable` tag; in stock now or not), a contact per customer, a won deal with line items per
order before the split, the customer's emails before the split in one conversation, and the
interest profiles as of the split with the job's arithmetic. Which products an email names is not
in the files: it is found as the job finds it (insights/profile_service.mentioned_products: exact
SKUs, then whole titles, against the catalogue in the database), for the emails the job would
read (each customer's latest ten before the split). Orders from the split on go to holdout.json.
"""

import argparse
import asyncio
import json
import os
import random
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from common import bench_env
from generate import Shop, embed_products, lap, recent_asks, store

NAMESPACE = uuid.UUID("6f1c2b1e-5d8a-4c57-9a51-3a3c0e7f2b10")  # stable ids from the files' own keys


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _at(value: str) -> datetime:
    at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if at.tzinfo is None:
        raise SystemExit(f"a time without a zone: {value!r}")
    return at


def _tags(product: dict) -> list[str]:
    tags = [str(t) for t in product.get("tags") or []]
    if product.get("durable", True):
        return tags
    days = product.get("repurchase_days")
    return tags + ([f"repurchase-{int(days)}d"] if days else ["consumable"])


def product_rows(products: list[dict]) -> list[dict]:
    return [{"id": uuid.uuid5(NAMESPACE, f"product:{p['sku']}"),
             "variant_id": uuid.uuid5(NAMESPACE, f"variant:{p['sku']}"), "sku": p["sku"], "title": p["title"],
             "description": p.get("description") or "", "brand": None,
             "tags": _tags(p), "price": Decimal(str(p["price"])), "in_stock": bool(p["in_stock"])}
            for p in products]


def read(folder: Path) -> tuple[Shop, dict]:
    """The files as a Shop, and what was left out (unknown SKUs or customers) to report."""
    meta = json.loads((folder / "meta.json").read_text())
    products = _jsonl(folder / "products.jsonl")
    first_lines: dict[str, dict] = {}
    for product in products:  # a SKU listed twice: its first line
        first_lines.setdefault(product["sku"], product)
    unique = list(first_lines.values())
    rows = product_rows(unique)
    by_sku = {row["sku"]: n for n, row in enumerate(rows)}
    people, by_customer = [], {}
    for n, customer in enumerate(_jsonl(folder / "customers.jsonl")):
        first, _, last = (customer.get("name") or "").strip().partition(" ")
        by_customer[customer["customer_id"]] = len(people)
        people.append({"id": uuid.uuid5(NAMESPACE, f"customer:{customer['customer_id']}"), "n": n,
                       "first": first[:100], "last": last[:100], "email": customer.get("email") or None,
                       "orders": [], "paid": [], "asks": []})
    skipped = {"unknown_sku_items": 0, "unknown_customer_orders": 0, "unknown_customer_messages": 0,
               "duplicate_skus": len(products) - len(unique)}
    for order in sorted(_jsonl(folder / "orders.jsonl"), key=lambda o: o["at"]):
        person = people[by_customer[order["customer_id"]]] if order["customer_id"] in by_customer else None
        if person is None:
            skipped["unknown_customer_orders"] += 1
            continue
        known = [item for item in order["items"] if item["sku"] in by_sku]
        skipped["unknown_sku_items"] += len(order["items"]) - len(known)
        if known:
            person["orders"].append((_at(order["at"]), [by_sku[item["sku"]] for item in known]))
            person["paid"].append([(int(item.get("quantity") or 1), Decimal(str(item["unit_price"])))
                                   for item in known])
    for message in _jsonl(folder / "messages.jsonl"):
        if message["customer_id"] not in by_customer:
            skipped["unknown_customer_messages"] += 1
            continue
        people[by_customer[message["customer_id"]]]["asks"].append(
            (_at(message["at"]), [], message.get("text") or "", (message.get("subject") or "")[:300]))
    for person in people:
        person["asks"].sort(key=lambda ask: ask[0])
    split = _at(meta["split"])
    times = [at for person in people for at, _ in person["orders"]] + [a[0] for p in people for a in p["asks"]]
    shop = Shop(rows=rows, people=people, split=split, end=_at(meta["end"]), currency=meta.get("currency", "EUR"),
                start=min(times, default=split - timedelta(days=720)))
    return shop, {**skipped, "products": len(rows), "customers": len(people),
                  "orders": sum(len(p["orders"]) for p in people), "messages": sum(len(p["asks"]) for p in people),
                  "customers_with_orders": sum(1 for p in people if p["orders"])}


async def find_mentions(shop: Shop) -> None:
    """The products each email the job would read names, found with the job's own matching."""
    from mancrel.core.db import dispose_engine, init_engine, unit_of_work
    from mancrel.insights.profile_service import mentioned_products

    init_engine()
    index = {row["id"]: n for n, row in enumerate(shop.rows)}
    async with unit_of_work() as session:
        for person in shop.people:
            read_by_job = {(ask[0], ask[2]) for ask in recent_asks(person, shop.split)}
            resolved = []
            for at, _, text, subject in person["asks"]:
                found = await mentioned_products(session, text) if (at, text) in read_by_job else []
                resolved.append((at, [index[p] for p in found if p in index], text, subject))
            person["asks"] = resolved
    await dispose_engine()


async def load(url: str, folder: Path, data_dir: Path, seed: int) -> None:
    from mancrel.ai.embeddings import get_embedder

    shop, facts = read(folder)
    lap(f"history: {facts}")
    vectors = embed_products(shop.rows, get_embedder().embed)
    lap("product vectors")
    await store(url, shop, random.Random(seed), vectors, data_dir, fast=False, mentions=find_mentions,
                facts={"scale": f"history from {folder}", "seed": seed, "files": facts})
    named = sum(1 for p in shop.people for ask in p["asks"] if ask[1])
    print(f"emails read as the job reads them that name a product: {named:,}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("history", type=Path, help="the folder holding meta.json, products.jsonl, ...")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026, help="for the reps owning contacts and stock counts")
    args = parser.parse_args()

    from mancrel.core.embedded import EmbeddedPostgres
    from mancrel.core.migrate import upgrade_to_head

    args.data_dir.mkdir(parents=True, exist_ok=True)
    postgres = EmbeddedPostgres(args.data_dir / "postgres")
    postgres.start()
    try:
        # No broker is used here; the task modules the catalogue imports only want its address.
        os.environ.update(bench_env(postgres.url, "redis://127.0.0.1:1/0"))
        upgrade_to_head(postgres.url)
        asyncio.run(load(postgres.url, args.history.resolve(), args.data_dir, args.seed))
    finally:
        postgres.stop()


if __name__ == "__main__":
    main()
