"""A shop's history for the recommendation bench: catalogue, customers, won deals with line items
and their messages over two years, loaded with COPY into an embedded PostgreSQL.

    ../../.venv/bin/python generate.py                # full size: 100,000 products, 50,000 customers
    ../../.venv/bin/python generate.py --scale 0.1    # a tenth of that

The shop sells 12 themes (hiking, coffee, climbing, ...) of 8 categories each; product titles
read like a shop's ("Alpine Merino Hiking Socks M412"). Each customer has a main theme (some a
second one) and a favourite brand; an order takes a category of their theme, often with its
complementary one (jacket with socks), and a product by popularity within the category (Zipf),
from their brand half of the time. Before many orders the customer asks about a product by mail;
some ask and never buy. Consumables (coffee beans, gas canisters, ...) are bought again after
their interval. About 8% of products are out of stock now: bought before, never after the split.

Only what happened before SPLIT (90 days before the end) goes into the database; the purchases
after it are written to holdout.json for recommend_quality.py. The interest profiles are then
computed as of SPLIT with the job's own arithmetic (mancrel/insights/profile_build.py: the same
weights, decay and vector blend, over each customer's latest RECENT_MESSAGES messages as the job
reads them; the products a message names are known here, where the job finds them with
catalog/matching.py), written in bulk instead of one job per customer.
Deterministic (seeded).

`store()` writes any `Shop` (catalogue rows and customers' histories): load_history.py uses it for
a history written by someone else, as files.
"""

import argparse
import asyncio
import json
import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import asyncpg
import numpy as np
from common import DEFAULT_DATA_DIR, END, HOLDOUT, SPAN, SPLIT, bench_env, sizes

THEMES = {
    "Hiking": ["Jacket", "Socks", "Boots", "Backpack", "Trekking Poles", "Gaiters", "Rain Pants", "Sun Hat"],
    "Running": ["Shoes", "Shorts", "Tights", "Vest", "Headband", "Energy Gel", "Water Bottle", "Cap"],
    "Camping": ["Tent", "Sleeping Bag", "Stove", "Gas Canister", "Mug", "Lantern", "Sleeping Mat", "Cookset"],
    "Climbing": ["Harness", "Chalk", "Rope", "Carabiner", "Shoes", "Helmet", "Belay Device", "Quickdraw"],
    "Cycling": ["Helmet", "Gloves", "Jersey", "Light", "Chain Oil", "Saddle Bag", "Bib Shorts", "Inner Tube"],
    "Coffee": ["Beans", "Grinder", "French Press", "Kettle", "Filter Papers", "Espresso Cups", "Scale", "Dripper"],
    "Tea": ["Green Tea", "Black Tea", "Teapot", "Infuser", "Matcha", "Cups", "Herbal Tea", "Tin"],
    "Garden": ["Seeds", "Gloves", "Pruning Shears", "Watering Can", "Plant Food", "Trowel", "Planter", "Hose"],
    "Yoga": ["Mat", "Block", "Strap", "Meditation Cushion", "Pants", "Towel", "Bolster", "Mat Cleaner"],
    "Fishing": ["Rod", "Reel", "Line", "Lures", "Tackle Box", "Waders", "Landing Net", "Bait"],
    "Ski": ["Goggles", "Gloves", "Socks", "Base Layer", "Wax", "Helmet Liner", "Neck Gaiter", "Jacket"],
    "Baking": ["Flour", "Stand Mixer", "Baking Tray", "Yeast", "Rolling Pin", "Proofing Basket", "Oven Mitts",
               "Cake Tin"],
}
CONSUMABLE_DAYS = {"Energy Gel": 30, "Gas Canister": 60, "Chalk": 60, "Chain Oil": 90, "Beans": 30,
                   "Filter Papers": 60, "Green Tea": 45, "Black Tea": 45, "Matcha": 45, "Herbal Tea": 45,
                   "Seeds": 120, "Plant Food": 90, "Mat Cleaner": 90, "Line": 120, "Bait": 30, "Wax": 90,
                   "Flour": 30, "Yeast": 30}
BRANDS = ["Alpine", "Nordkap", "Fjell", "Summit", "Ridge", "Terra", "Boreal", "Kestrel", "Lumen", "Vega",
          "Orca", "Sierra", "Tundra", "Maple", "Cedar", "Aurora", "Granite", "Harbor", "Meadow", "Solstice"]
STYLES = ["Merino", "Lightweight", "Classic", "Pro", "Ultra", "Eco", "Waterproof", "Compact", "Trail", "Urban",
          "Thermal", "Organic"]
FIRST = ["Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca"]
LAST = ["Schmidt", "Novak", "Rossi", "Garcia", "Dubois", "Jensen", "Kowalski", "Silva", "Yilmaz", "Weber"]
OUT_OF_STOCK_SHARE = 0.08
BATCH = 20_000
_STARTED = time.perf_counter()


def lap(what: str) -> None:
    print(f"{what:<40} {time.perf_counter() - _STARTED:8.1f}s", flush=True)


@dataclass
class Shop:
    """What store() writes. `rows`: products as Catalogue makes them (id, variant_id, sku, title,
    description, brand, tags, price, in_stock). `people`: per customer id, n, orders [(at, [row
    index])], asks [(at, [row indices the message names], text, subject)], and optionally paid
    (per order, [(quantity, unit price)] for its rows; default one at the list price), first, last,
    email. Orders and asks from `split` on are the future: never loaded, the orders are the holdout."""

    rows: list[dict]
    people: list[dict]
    split: datetime = SPLIT
    start: datetime = END - SPAN
    end: datetime = END  # "now": products were last synced then
    currency: str = "EUR"


def uid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class Catalogue:
    def __init__(self, rng: random.Random, n: int) -> None:
        self.categories = [(theme, cat) for theme, cats in THEMES.items() for cat in cats]
        per = max(2, n // len(self.categories))
        self.rows: list[dict] = []
        self.by_category: dict[int, list[int]] = defaultdict(list)
        for c, (theme, cat) in enumerate(self.categories):
            for k in range(per):
                brand, style = rng.choice(BRANDS), rng.choice(STYLES)
                days = CONSUMABLE_DAYS.get(cat)
                self.by_category[c].append(len(self.rows))
                self.rows.append({
                    "id": uid(rng), "variant_id": uid(rng), "sku": f"SKU-{len(self.rows)}", "category": c,
                    "category_name": cat, "brand": brand, "theme": theme,
                    "title": f"{brand} {style} {theme} {cat} {rng.choice('ABCDEFGHKMNPRSTX')}{k}",
                    "description": f"{style} {cat.lower()} by {brand} for {theme.lower()}. "
                                   f"{'Reorder every ' + str(days) + ' days.' if days else 'Built to last.'}",
                    "tags": [theme.lower(), cat.lower()] + ([f"repurchase-{days}d"] if days else []),
                    "price": Decimal(rng.randrange(500, 30_000)) / 100, "days": days,
                    "in_stock": rng.random() >= OUT_OF_STOCK_SHARE})
        # Popularity within a category: Zipf over a random order.
        self.weights = {c: [1 / (r + 1) ** 1.1 for r in range(len(items))] for c, items in self.by_category.items()}
        for items in self.by_category.values():
            rng.shuffle(items)

    def pick(self, rng: random.Random, category: int, brand: str | None, *, in_stock_only: bool) -> int:
        items, weights = self.by_category[category], self.weights[category]
        for _ in range(20):
            if brand is not None and rng.random() < 0.5:
                branded = [i for i in items[:200] if self.rows[i]["brand"] == brand]
                choice = rng.choice(branded) if branded else rng.choices(items, weights)[0]
            else:
                choice = rng.choices(items, weights)[0]
            if self.rows[choice]["in_stock"] or not in_stock_only:
                return choice
        return next(i for i in items if self.rows[i]["in_stock"])


def history(rng: random.Random, catalogue: Catalogue, customers: int) -> list[dict]:
    """Per customer: orders [(at, [product index])] and asks [(at, [product index], text, subject)]."""
    themes = list(THEMES)
    start = END - SPAN
    people = []
    for n in range(customers):
        main = rng.randrange(len(themes))
        second = rng.randrange(len(themes)) if rng.random() < 0.4 else None
        brand = rng.choice(BRANDS)
        orders, asks = [], []
        for _ in range(1 + min(int(rng.expovariate(1 / 2.5)), 12)):
            at = start + timedelta(seconds=rng.randrange(int(SPAN.total_seconds())))
            theme = main if second is None or rng.random() < 0.75 else second
            first = rng.randrange(8)
            cats = [first] + ([(first + 1) % 8] if rng.random() < 0.6 else [])
            basket = [catalogue.pick(rng, theme * 8 + c, brand, in_stock_only=at >= SPLIT) for c in cats]
            orders.append((at, basket))
            if rng.random() < 0.4:
                asks.append((at - timedelta(days=rng.uniform(1, 10)), basket[0]))
            for item in basket:  # consumables come back
                days, when = catalogue.rows[item]["days"], at
                while days and rng.random() < 0.7:
                    when += timedelta(days=days * rng.uniform(0.8, 1.3))
                    if when >= END:
                        break
                    orders.append((when, [item]))
        for _ in range(int(rng.random() < 0.3)):  # browsing: asked; bought later half of the time
            at = start + timedelta(seconds=rng.randrange(int(SPAN.total_seconds())))
            item = catalogue.pick(rng, main * 8 + rng.randrange(8), brand, in_stock_only=at >= SPLIT)
            asks.append((at, item))
            later = at + timedelta(days=rng.uniform(2, 30))
            if rng.random() < 0.5 and later < END and (later < SPLIT or catalogue.rows[item]["in_stock"]):
                orders.append((later, [item]))
        asks = [(at, [item], f"Hi, is the {catalogue.rows[item]['title']} in stock? "
                             f"I am getting into {themes[main].lower()}.", "Question") for at, item in asks]
        people.append({"id": uid(rng), "n": n, "orders": sorted(orders), "asks": sorted(asks)})
    return people


def fast_vectors(rng: random.Random, catalogue: Catalogue, embed) -> np.ndarray:
    """Each product's vector from embedded parts of its title: category, brand and style, plus
    a little noise. Close to the model's own vectors in structure (the same clusters), used only
    where embedding every title would take too long (latency at full size, not quality)."""
    parts = sorted({f"{r['theme']} {r['category_name']}" for r in catalogue.rows}
                   | set(BRANDS) | set(STYLES))
    vector_of = dict(zip(parts, embed(parts), strict=True))
    noise = np.random.default_rng(rng.randrange(1 << 30))
    out = np.empty((len(catalogue.rows), 384), dtype=np.float32)
    for n, r in enumerate(catalogue.rows):
        style = r["title"].split()[1]
        v = (vector_of[f"{r['theme']} {r['category_name']}"] + 0.5 * vector_of[r["brand"]]
             + 0.3 * vector_of[style] + noise.normal(0, 0.02, 384))
        out[n] = v / np.linalg.norm(v)
    return out


def embed_products(rows: list[dict], embed) -> np.ndarray:
    """Each product's vector from the text the search index embeds for it (ai/search_index.py),
    its one variant ("Default", the SKU) included as the index and the profile job include it."""
    from mancrel.ai.indexing import product_text
    from mancrel.ai.search_index import BODY_CHARS, clip

    texts = []
    for row in rows:
        variant = SimpleNamespace(title="Default", sku=row["sku"], price=row["price"], currency="")
        view = SimpleNamespace(description=row["description"], vendor=row["brand"], product_type=None,
                               tags=row["tags"], title=row["title"], variants=[variant])
        title, _, body = product_text(view)
        texts.append(clip(f"{title}. {body}", BODY_CHARS))
    return embed(texts)


def lines(person: dict, rows: list[dict]) -> list[tuple[datetime, list[tuple[int, int, Decimal]]]]:
    """(at, [(row index, quantity, unit price)]) per order."""
    paid = person.get("paid") or [[(1, rows[i]["price"]) for i in basket] for _, basket in person["orders"]]
    return [(at, [(i, quantity, price) for i, (quantity, price) in zip(basket, prices, strict=True)])
            for (at, basket), prices in zip(person["orders"], paid, strict=True)]


def holdout(shop: Shop) -> dict:
    test = {}
    for person in shop.people:
        after = {shop.rows[i]["id"] for at, basket in person["orders"] if at >= shop.split for i in basket}
        if after:
            test[str(person["id"])] = sorted(str(p) for p in after)
    return {"split": shop.split.isoformat(), "test": test}


def recent_asks(person: dict, split: datetime) -> list[tuple]:
    """The asks the job would read at `split`: the latest RECENT_MESSAGES before it, newest first."""
    from mancrel.insights.profile_repository import RECENT_MESSAGES

    return sorted((a for a in person["asks"] if a[0] < split), key=lambda a: a[0], reverse=True)[:RECENT_MESSAGES]


def profiles(shop: Shop, product_vectors: np.ndarray, embed, fast: bool = False) -> tuple[list, list]:
    """contact_profiles and contact_product_interests rows as of the split, with the job's
    arithmetic. With `fast`, a message's vector is the vector of the product it asks about (no
    model run)."""
    from mancrel.ai.search_index import BODY_CHARS, clip
    from mancrel.insights import profile_build as build

    index = {row["id"]: i for i, row in enumerate(shop.rows)}
    asks = {person["n"]: recent_asks(person, shop.split) for person in shop.people}
    texts = [(n, at, items, clip(text, BODY_CHARS)) for n, found in asks.items() for at, items, text, _ in found]
    if fast:
        text_vectors = np.array([product_vectors[items[0]] for _, _, items, _ in texts]
                                or np.zeros((0, 384), np.float32))
    else:
        text_vectors = embed([t for *_, t in texts]) if texts else np.zeros((0, 384), np.float32)
    own: dict[int, list] = defaultdict(list)
    for (n, at, _, _), vector in zip(texts, text_vectors, strict=True):
        own[n].append((at, vector))
    profile_rows, interest_rows = [], []
    for person in shop.people:
        events = [build.Event(shop.rows[i]["id"], "bought", at, quantity) for at, paid in lines(person, shop.rows)
                  if at < shop.split for i, quantity, _ in paid]
        events += [build.Event(shop.rows[i]["id"], "asked", at) for at, items, _, _ in asks[person["n"]]
                   for i in items]
        found = build.strongest(build.interests(events, shop.split))
        recent = own[person["n"]]
        vector = build.blend([(product_vectors[index[i.product_id]], i.weight) for i in found],
                             [(v, build.decay(at, shop.split)) for at, v in recent])
        if vector is None and not found:
            continue
        profile_rows.append((person["id"], vector, len(found), len(recent), shop.split))
        interest_rows += [(person["id"], i.product_id, i.weight, i.asked_count, i.asked_at, i.quoted_at,
                           i.bought_count, i.bought_at, i.last_at) for i in found]
    return profile_rows, interest_rows


async def without_indexes(conn: asyncpg.Connection, table: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = $1 AND i.indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass)", table)
    for row in rows:
        await conn.execute(f'DROP INDEX "{row["indexname"]}"')
    return [row["indexdef"] for row in rows]


async def copy(conn: asyncpg.Connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    for start in range(0, len(rows), BATCH):
        await conn.copy_records_to_table(table, records=rows[start:start + BATCH], columns=columns)


async def load(url: str, scale: float, seed: int, data_dir: Path, fast: bool) -> None:
    from mancrel.ai.embeddings import get_embedder

    counts, rng = sizes(scale), random.Random(seed)
    catalogue = Catalogue(rng, counts["products"])
    shop = Shop(rows=catalogue.rows, people=history(rng, catalogue, counts["customers"]))
    lap(f"history: {len(shop.rows):,} products, {len(shop.people):,} customers")
    embedder = get_embedder()
    vectors = fast_vectors(rng, catalogue, embedder.embed) if fast else embed_products(shop.rows, embedder.embed)
    lap("product vectors" + (" (fast)" if fast else ""))
    await store(url, shop, rng, vectors, data_dir, fast=fast, facts={"scale": scale, "seed": seed})


async def store(url: str, shop: Shop, rng: random.Random, vectors: np.ndarray, data_dir: Path, *, fast: bool,
                facts: dict, mentions=None) -> None:
    """Write the shop into the database as of its split, then holdout.json. `mentions`, if given,
    is awaited once the catalogue is in (and before the profiles are computed): it fills in the
    products each ask names, for histories that do not know them."""
    from pgvector.asyncpg import register_vector

    from mancrel.ai.embeddings import MODEL_ID, MODEL_VERSION, get_embedder
    from mancrel.insights.profile_repository import BUYER_WEIGHT, INTERESTED_WEIGHT

    conn = await asyncpg.connect(url)
    await register_vector(conn)
    try:
        if await conn.fetchval("SELECT count(*) FROM products") > 0:
            raise SystemExit("The bench database already has products; use a fresh --data-dir.")
        await conn.execute("SET maintenance_work_mem = '1GB'")
        rebuild = {t: await without_indexes(conn, t) for t in (
            "products", "product_variants", "embeddings", "contacts", "deals", "deal_line_items", "messages",
            "conversations", "contact_product_interests")}
        admin, manager = uuid.uuid4(), uuid.uuid4()
        reps = [uuid.uuid4() for _ in range(10)]
        await copy(conn, "users", ["id", "email", "password_hash", "full_name", "role", "is_active"],
                   [(admin, "reco-admin@example.com", "!", "Bench Admin", "admin", True),
                    (manager, "reco-manager@example.com", "!", "Bench Manager", "manager", True)]
                   + [(r, f"reco-rep{i}@example.com", "!", f"Bench Rep {i}", "rep", True) for i, r in enumerate(reps)])
        source = uuid.uuid4()
        await conn.execute("INSERT INTO catalog_sources (id, name, kind, currency) VALUES ($1, 'bench', 'standard', "
                           "$2)", source, shop.currency)
        now = shop.end
        await copy(conn, "products", ["id", "source_id", "external_id", "title", "description", "vendor", "tags",
                                      "status", "source_updated_at", "created_at", "updated_at"],
                   [(r["id"], source, f"p{i}", r["title"], r["description"], r["brand"], r["tags"], "active", now,
                     now, now) for i, r in enumerate(shop.rows)])
        await copy(conn, "product_variants", ["id", "product_id", "external_id", "position", "title", "sku", "price",
                                              "currency", "stock"],
                   [(r["variant_id"], r["id"], f"v{i}", 0, "Default", r["sku"], r["price"], shop.currency,
                     rng.randint(1, 200) if r["in_stock"] else 0) for i, r in enumerate(shop.rows)])
        await copy(conn, "embeddings", ["entity_type", "entity_id", "owner_id", "model_id", "model_version",
                                        "embedding", "updated_at"],
                   [("product", r["id"], None, MODEL_ID, MODEL_VERSION, vectors[i], now)
                    for i, r in enumerate(shop.rows)])
        lap("catalogue loaded")
        if mentions is not None:
            await mentions(shop)
            lap("products named in messages found")
        profile_rows, interest_rows = profiles(shop, vectors, get_embedder().embed, fast)
        lap(f"profiles: {len(profile_rows):,}, interests {len(interest_rows):,}")
        await history_rows(conn, rng, shop, reps)
        lap("contacts, deals, line items, messages loaded")
        await copy(conn, "contact_profiles", ["contact_id", "vector", "products", "texts", "computed_at"],
                   profile_rows)
        await copy(conn, "contact_product_interests", ["contact_id", "product_id", "weight", "asked_count",
                                                       "asked_at", "quoted_at", "bought_count", "bought_at",
                                                       "last_at"], interest_rows)
        await conn.execute("""
            INSERT INTO product_popularity (product_id, buyers, interested, score)
            SELECT product_id, count(*) FILTER (WHERE bought_count > 0), count(*),
                   count(*) FILTER (WHERE bought_count > 0) * $1 + count(*) * $2
            FROM contact_product_interests GROUP BY product_id""", BUYER_WEIGHT, INTERESTED_WEIGHT)
        lap("profiles and popularity loaded")
        for definitions in rebuild.values():
            for definition in definitions:
                await conn.execute(definition)
        lap("indexes rebuilt")
        await conn.execute("VACUUM ANALYZE")
        lap("vacuum analyze")
    finally:
        await conn.close()
    (data_dir / HOLDOUT).write_text(json.dumps({**holdout(shop), **facts, "manager": str(manager),
                                                "admin": str(admin)}))


async def history_rows(conn: asyncpg.Connection, rng: random.Random, shop: Shop, reps: list[uuid.UUID]) -> None:
    """Contacts, their won deals with line items, and their mails: what happened before the split only."""
    pipeline = await conn.fetchval("SELECT id FROM pipelines WHERE is_default")
    won = await conn.fetchval("SELECT id FROM pipeline_stages WHERE pipeline_id = $1 AND kind = 'won'", pipeline)
    channel = uuid.uuid4()
    await conn.execute("INSERT INTO channels (id, kind, name, settings) VALUES ($1, 'email', 'bench mail', "
                       "'{\"address\": \"shop@bench.example\", \"inbound\": \"mailgun\"}'::jsonb)", channel)
    contacts, deals, items, conversations, messages = [], [], [], [], []
    rank, currency = 0, shop.currency
    for person in shop.people:
        owner = rng.choice(reps)
        email = person.get("email") or f"customer{person['n']}@bench.example"
        first, last = (person["first"], person["last"]) if "first" in person else (rng.choice(FIRST), rng.choice(LAST))
        contacts.append((person["id"], first, last, [email], owner, shop.start, shop.start))
        for at, paid in lines(person, shop.rows):
            if at >= shop.split:
                continue
            deal, rank = uuid.uuid4(), rank + (1 << 20)
            amount = sum((quantity * price for _, quantity, price in paid), Decimal(0))
            deals.append((deal, f"Order {person['n']}-{rank >> 20}", person["id"], pipeline, won, rank, amount,
                          currency, True, "won", at, at, "{}", owner, at, at))
            items += [(uuid.uuid4(), deal, shop.rows[i]["id"], shop.rows[i]["variant_id"], shop.rows[i]["title"],
                       quantity, price, Decimal(0), currency, quantity * price, k, at, at)
                      for k, (i, quantity, price) in enumerate(paid)]
        asks = [(at, text, subject) for at, _, text, subject in person["asks"] if at < shop.split]
        if asks:
            conversation, subject = uuid.uuid4(), asks[-1][2]
            conversations.append((conversation, channel, person["id"], email, "open", subject, subject.lower(),
                                  asks[-1][0], asks[-1][0], asks[0][0], asks[-1][0]))
            messages += [(uuid.uuid4(), conversation, channel, "inbound", email, subject, text, text,
                          f"m{person['n']}-{k}@bench.example", "received", at, at, at)
                         for k, (at, text, subject) in enumerate(asks)]
    await copy(conn, "contacts", ["id", "first_name", "last_name", "emails", "owner_id", "created_at", "updated_at"],
               contacts)
    await copy(conn, "deals", ["id", "title", "contact_id", "pipeline_id", "stage_id", "rank", "amount", "currency",
                               "amount_from_line_items", "status", "closed_at", "stage_changed_at", "custom_fields",
                               "owner_id", "created_at", "updated_at"], deals)
    await copy(conn, "deal_line_items", ["id", "deal_id", "product_id", "variant_id", "title", "quantity",
                                         "unit_price", "discount_percent", "currency", "line_total", "position",
                                         "created_at", "updated_at"], items)
    await copy(conn, "conversations", ["id", "channel_id", "contact_id", "counterpart", "status", "subject",
                                       "subject_key", "last_message_at", "last_inbound_at", "created_at",
                                       "updated_at"], conversations)
    await copy(conn, "messages", ["id", "conversation_id", "channel_id", "direction", "sender", "subject", "text",
                                 "own_words", "provider_message_id", "status", "occurred_at", "created_at",
                                 "processed_at"], messages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (default 1.0)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fast-vectors", action="store_true",
                        help="compose product vectors from embedded words (latency runs at full size; the "
                             "model embeds about 40 titles/s on this shared machine, 100,000 would take 40 min)")
    args = parser.parse_args()

    import os
    from pathlib import Path

    from mancrel.core.embedded import EmbeddedPostgres
    from mancrel.core.migrate import upgrade_to_head

    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    postgres = EmbeddedPostgres(data_dir / "postgres")
    postgres.start()
    try:
        # No broker is used here; the task modules the catalogue imports only want its address.
        os.environ.update(bench_env(postgres.url, "redis://127.0.0.1:1/0"))
        upgrade_to_head(postgres.url)
        asyncio.run(load(postgres.url, args.scale, args.seed, data_dir, args.fast_vectors))
    finally:
        postgres.stop()


if __name__ == "__main__":
    main()
