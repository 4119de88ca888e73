"""Shared by the product-mention benchmarks (mentions.py: speed, mentions_quality.py: precision and
recall): an embedded PostgreSQL with the schema, and a catalogue stored through the product's own
upsert (`catalog.service.apply_products`, what a sync calls).

The catalogue is `bench/ai/replies_catalogue.py`'s (1,000 products with near-names, written by another
engineer). `scaled(n)` grows it past what that generator can make distinct (its titles run out near
15,000): the first 1,000 products are the default call unchanged, each further block of 5,000 comes
from another seed with the 40 collection names replaced by 40 made-up ones, as a big shop has more
collections, so titles stay distinct while the nouns repeat at a big shop's rate ("Socks" in
thousands of titles).
"""

import importlib.util
import random
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "backend"))
sys.path.insert(0, str(HERE.parent / "ai"))

import replies_catalogue  # noqa: E402 (bench/ai, after the path above)

BLOCK = 5000
SHOP = "mentions evaluation shop"
_SYLLABLES = ("ka", "ren", "tor", "vil", "mo", "sa", "lin", "dar", "ve", "no", "bri", "tal", "go", "ru", "fen",
              "ost", "mar", "pel", "ske", "dun")


def _made_up_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def scaled(n: int) -> list[dict]:
    """n products: the default catalogue first, then renamed blocks from other seeds."""
    products = replies_catalogue.generate()[:n]
    taken = set(replies_catalogue.LINES)
    rng = random.Random(7)
    block = 1
    while len(products) < n:
        rename = dict(zip(replies_catalogue.LINES, _made_up_names(rng, len(replies_catalogue.LINES), taken),
                          strict=True))
        for p in replies_catalogue.generate(min(BLOCK, n - len(products)), seed=20261205 + block):
            words = p["title"].split(" ")
            p["title"] = " ".join(rename.get(w, w) for w in words)
            p["sku"] = f"B{block}-{p['sku']}"
            for v in p["variants"]:
                v["sku"] = f"B{block}-{v['sku']}"
            products.append(p)
        block += 1
    return products


def _catalog_bench():
    spec = importlib.util.spec_from_file_location("catalog_bench", HERE / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_bench = _catalog_bench()
percentile = _bench.percentile


def start_servers():
    """Embedded PostgreSQL (at head) and Valkey, as the catalogue benchmarks start them (bench.py's
    Stack: a sync's writes publish live updates after commit); the caller calls `.stop()`."""
    stack = _bench.Stack()
    stack.start()
    return stack


def standard_payload(p: dict) -> dict:
    """The generator's product as a Standard Webhooks source sends it (`data` of product.updated)."""
    units = p["variants"] or [p | {"options": {}}]
    return {"id": p["sku"], "updated_at": datetime.now(UTC).isoformat(), "title": p["title"],
            "description": p["description"], "vendor": p["vendor"], "type": p["product_type"], "tags": p["tags"],
            "status": p["status"], "variants": [{"id": u["sku"], "sku": u["sku"], "price": u["price"],
                                                 "currency": p["currency"], "stock": int(u["stock"]),
                                                 "options": u.get("options") or {}} for u in units]}


async def load_catalogue(products: list[dict]) -> dict:
    """Stores the products as a sync does (its payload parser, then its upsert); returns {product
    id: the generator's product sku}."""
    from sqlalchemy import select

    from mancrel.catalog import service as catalog_service
    from mancrel.catalog.models import CatalogSource
    from mancrel.catalog.normalise import product_from_standard
    from mancrel.core.db import unit_of_work

    by_id = {}
    async with unit_of_work() as session:  # one shop, grown by later calls
        source = await session.scalar(select(CatalogSource).where(CatalogSource.name == SHOP))
        if source is None:
            source = CatalogSource(name=SHOP, kind="standard", currency="EUR")
            session.add(source)
            await session.flush()
    for start in range(0, len(products), 500):
        async with unit_of_work() as session:
            batch = [product_from_standard(standard_payload(p), deleted=False, default_currency="EUR")
                     for p in products[start:start + 500]]
            written = await catalog_service.apply_products(session, source_id=source.id, products=batch)
            by_id.update({product_id: external for external, (product_id, _) in written.items()})
    return by_id
