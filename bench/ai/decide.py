"""Decision time of the AI-reply step (issue #20) with the `local` provider: from a classified
customer message to its suggestion committed (sent reply queued, approval pending, or escalation
with its task), one unit of work per message, as the `reply.decide` job runs it.

    ../../.venv/bin/python decide.py [--products 1000] [--messages 200]

Starts its own embedded PostgreSQL and Valkey; no worker and no classifier: each message gets a
classification row with a confidence spread over 0.5 to 1.0, so every branch of the gate runs.
Questions name a product by title or by SKU (a tenth name nothing we sell). Reports p50/p95/max of
the decision time, the share of each decision, and how many sendable drafts failed grounding
(goal: 0 for the local composer, which writes from the facts only).
"""

import argparse
import asyncio
import importlib.util
import json
import random
import sys
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "backend"))


def _catalog_bench():
    spec = importlib.util.spec_from_file_location("catalog_bench", HERE.parent / "catalog" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_catalog = _catalog_bench()
Stack, percentile = _catalog.Stack, _catalog.percentile
NOUNS = ["Socks", "Jacket", "Beanie", "Gloves", "Backpack", "Tent", "Boots", "Scarf", "Bottle", "Lamp"]
ADJECTIVES = ["Merino", "Alpine", "Trail", "Storm", "Summit", "Granite", "Harbor", "Aurora", "Cedar", "Falcon"]


async def setup(products: int) -> tuple[uuid.UUID, list[tuple[str, str]]]:
    from mancrel.catalog import service as catalog_service
    from mancrel.catalog.models import CatalogSource
    from mancrel.catalog.normalise import NormalisedProduct, NormalisedVariant
    from mancrel.channel.models import Channel
    from mancrel.core.db import unit_of_work

    rng, names = random.Random(7), []
    async with unit_of_work() as session:
        source = CatalogSource(name="bench shop", kind="standard", currency="EUR")
        channel = Channel(kind="email", name="bench mail", settings={
            "address": "orders@bench-shop.example", "inbound": "mailgun",
            "smtp": {"host": "127.0.0.1", "port": 2525, "security": "none"}})
        session.add_all([source, channel])
        await session.flush()
        batch = []
        for i in range(products):
            title = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {i:04d}"
            sku = f"BN-{i:04d}-{rng.choice('SMLX')}"
            names.append((title, sku))
            batch.append(NormalisedProduct(
                external_id=f"p{i}", source_updated_at=datetime.now(UTC), title=title,
                variants=[NormalisedVariant(external_id=f"p{i}-v1", sku=sku, currency="EUR",
                                            price=Decimal(rng.randrange(500, 30000)) / 100, stock=rng.randrange(0, 40))]))
        await catalog_service.apply_products(session, source_id=source.id, products=batch)
    return channel.id, names


async def make_messages(channel_id: uuid.UUID, names: list, count: int) -> list[uuid.UUID]:
    from mancrel.ai.models import Classification
    from mancrel.channel.models import Channel
    from mancrel.core.db import unit_of_work
    from mancrel.inbox import service as inbox_service
    from mancrel.inbox.inbound import InboundEmail

    rng, ids = random.Random(11), []
    async with unit_of_work() as session:
        channel = await session.get(Channel, channel_id)
        for i in range(count):
            title, sku = rng.choice(names)
            text = rng.choice([f"Hi, how much is the {title}?", f"Is {sku} in stock?",
                               f"What does the {title} cost and do you have it?"])
            if i % 10 == 9:
                text = "Do you sell a solar kettle?"
            message = await inbox_service.receive_email(session, channel=channel, email=InboundEmail(
                from_address=f"buyer{i}@customer.example", from_name=f"Buyer {i}", to=["orders@bench-shop.example"],
                subject=f"Question {i}", text=text, message_id=f"<q{i}@customer.example>"))
            confidence = round(rng.uniform(0.5, 1.0), 4)
            row = Classification(text=text, intent="availability" if "stock" in text else "pricing",
                                 confidence=confidence, priority="normal", language="en", model_version=1)
            session.add(row)
            await session.flush()
            message.classification_id, message.processed_at = row.id, datetime.now(UTC)
            ids.append(message.id)
    return ids


async def decide_all(ids: list[uuid.UUID]) -> dict:
    from mancrel.core.db import unit_of_work
    from mancrel.reply.decision import decide_message

    times, decisions, ungrounded = [], {}, 0
    for message_id in ids:
        started = time.perf_counter()
        async with unit_of_work() as session:
            suggestion = await decide_message(session, message_id)
            decision, grounding = suggestion.decision, suggestion.grounding
        times.append(time.perf_counter() - started)
        decisions[decision] = decisions.get(decision, 0) + 1
        ungrounded += grounding.get("ok") is False
    ms = [t * 1000 for t in times]
    return {"messages": len(ids), "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
            "max_ms": round(max(ms), 1), "decisions": decisions, "drafts_failing_grounding": ungrounded}


async def main(args) -> dict:
    from mancrel.core.db import dispose_engine, init_engine

    init_engine()
    try:
        channel_id, names = await setup(args.products)
        ids = await make_messages(channel_id, names, args.messages)
        return await decide_all(ids)
    finally:
        await dispose_engine()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=200)
    stack = Stack()
    stack.start()
    try:
        print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2))
    finally:
        stack.stop()
