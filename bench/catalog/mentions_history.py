"""How many mails of the independently written history (`bench/insights/independent/history.py`: a coffee
and tea shop, loosely worded mail) name a product, before and after loose mentions. The history says
not which product a mail means, so this counts; it does not score.

    ../../.venv/bin/python ../insights/independent/history.py --out /tmp/independent-history --seed 1 \\
        --customers 5000 --products 3000
    ../../.venv/bin/python mentions_history.py /tmp/independent-history [--show 30]

Starts its own embedded PostgreSQL and Valkey, stores the history's products through the standard
payload parser and the catalogue upsert (mentions_data.py), and reads every mail's text with the
old path (exact SKU, whole title) and with `mentions()`.
"""

import argparse
import asyncio
import json
from collections import Counter
from pathlib import Path

import mentions_data
from mentions_quality import before


def as_catalogue_product(p: dict, currency: str) -> dict:
    return {"sku": p["sku"], "title": p["title"], "description": p["description"], "vendor": None,
            "product_type": None, "tags": p["tags"], "status": "active", "price": p["price"], "currency": currency,
            "stock": 5 if p["in_stock"] else 0, "variants": []}


async def run(folder: Path, show: int) -> dict:
    from mancrel.catalog import mentions
    from mancrel.core.db import dispose_engine, init_engine, unit_of_work

    currency = json.loads((folder / "meta.json").read_text())["currency"]
    products = [as_catalogue_product(json.loads(line), currency)
                for line in (folder / "products.jsonl").read_text().splitlines() if line]
    mails = [json.loads(line) for line in (folder / "messages.jsonl").read_text().splitlines() if line]
    counts: Counter = Counter()
    init_engine()
    try:
        sku_of = await mentions_data.load_catalogue(products)
        for mail in mails:
            async with unit_of_work() as session:
                old = await before(session, mail["text"])
                now = await mentions.mentions(session, mail["text"])
            counts["mails"] += 1
            counts["named before"] += bool(old)
            counts["named after"] += bool(now)
            counts["named after, single"] += any(not m.ambiguous for m in now)
            counts["with a loose mention"] += any(m.match == "loose" for m in now)
            counts["with an ambiguous one only"] += bool(now) and all(m.ambiguous for m in now)
            if not old and now and show > 0:
                show -= 1
                print(json.dumps({"text": mail["text"][:200], "found": [(sku_of[m.product.id], m.product.title,
                                  m.match + ("?" if m.ambiguous else "")) for m in now]}, ensure_ascii=False))
    finally:
        await dispose_engine()
    return dict(counts)


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("history", type=Path)
    cli.add_argument("--show", type=int, default=0, help="print this many mails named only now, to read")
    args = cli.parse_args()
    stack = mentions_data.start_servers()
    try:
        print(json.dumps(asyncio.run(run(args.history, args.show)), indent=1))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
