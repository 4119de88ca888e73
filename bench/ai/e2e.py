"""Decision time of the AI replies end to end (issue #20): from a customer's mail stored by the
webhook to its reply sent (SMTP accepted it) or its suggestion waiting for approval (or its
escalation written), at a fixed offered rate, through the API and a real worker.

    ../../.venv/bin/python e2e.py [--rate 20] [--seconds 30] [--products 1000] [--workers 2]

Starts its own embedded PostgreSQL and Valkey, an SMTP server (aiosmtpd, in this process), one API
process (`mancrel serve`) and one default worker (`mancrel worker -c N`, every queue), as `mancrel run`
would, with the `local` reply provider and the default policy (live, 0.90 / 0.60). 1,000 generated
products (decide.py's catalogue) are stored and indexed before the clock starts, and classifier
version 1 is trained first, as `mancrel run` does at start.

Each delivery is a signed Mailgun forward (open loop, bench/catalog/loadgen.py) of a question naming
a product by title or SKU, from its own customer. Per message: `inbound_events.received_at` (the
webhook stored it) to the outbound message's `sent_at` for an automatic reply, else to the
suggestion's `created_at` (pending or escalated). Classification lag is reported beside it, as
the part of the time spent before the reply step starts.
"""

import argparse
import asyncio
import functools
import hashlib
import hmac
import json
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
SHOP = "orders@bench-shop.example"
SIGNING_KEY = "key-bench-mailgun-signing-0123456789abcdef"
NAMES_ENV = "MANCREL_BENCH_E2E_NAMES"  # the catalogue's (title, sku) pairs, for the request builder


# --- the request builder loadgen.py imports (no side effects at import) -----------------------
@functools.cache
def _names() -> list[list[str]]:
    return json.loads(Path(os.environ[NAMES_ENV]).read_text())


def question(index: int) -> str:
    rng = random.Random(index)
    title, sku = rng.choice(_names())
    return rng.choice([f"Hi, how much is the {title}?", f"Is {sku} in stock?",
                       f"What does the {title} cost and do you have it?", f"Hello, what is the price of {sku}?"])


def request(host: str, path: str, secret: str, index: int, prefix: str) -> bytes:
    sender = f"customer{index}@{prefix}.example"
    timestamp, token = str(int(time.time())), uuid.uuid4().hex
    signature = hmac.new(secret.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    message_id = f"<{prefix}-{index}-{token[:8]}@mail.{prefix}.example>"
    headers = [["From", f"Customer {index} <{sender}>"], ["To", SHOP], ["Subject", f"Question {index}"],
               ["Message-Id", message_id]]
    body = urlencode({"sender": sender, "from": f"Customer {index} <{sender}>", "recipient": SHOP,
                      "subject": f"Question {index}", "body-plain": question(index),
                      "message-headers": json.dumps(headers), "timestamp": timestamp, "token": token,
                      "signature": signature}).encode()
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


# --- the run ------------------------------------------------------------------------------------
@functools.cache
def _bench_modules():
    """bench/catalog/bench.py: the embedded-server stack and the open-loop load generator."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("catalog_bench", HERE.parent / "catalog" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Smtp:
    """A real SMTP server that accepts every mail (the customer's provider)."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        from mancrel.core.embedded import free_port

        class Accept:
            received = 0

            async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
                Accept.received += 1
                return "250 OK"

        self.handler, self.port = Accept(), free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def received(self) -> int:
        return type(self.handler).received


async def setup(products: int, smtp_port: int) -> tuple[uuid.UUID, list[tuple[str, str]]]:
    from decide import ADJECTIVES, NOUNS

    from mancrel.catalog import service as catalog_service
    from mancrel.catalog.models import CatalogSource
    from mancrel.catalog.normalise import NormalisedProduct, NormalisedVariant
    from mancrel.channel import service as channel_service
    from mancrel.channel.schemas import ChannelCreate
    from mancrel.core.db import unit_of_work

    rng, names, batch = random.Random(7), [], []
    for i in range(products):
        title, sku = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {i:04d}", f"BN-{i:04d}-{rng.choice('SMLX')}"
        names.append((title, sku))
        batch.append(NormalisedProduct(
            external_id=f"p{i}", source_updated_at=datetime.now(UTC), title=title,
            variants=[NormalisedVariant(external_id=f"p{i}-v1", sku=sku, currency="EUR", stock=rng.randrange(0, 40),
                                        price=Decimal(rng.randrange(500, 30000)) / 100)]))
    async with unit_of_work() as session:
        source = CatalogSource(name="bench shop", kind="standard", currency="EUR")
        session.add(source)
        await session.flush()
        for start in range(0, len(batch), 250):
            await catalog_service.apply_products(session, source_id=source.id, products=batch[start:start + 250])
        channel = await channel_service.create(session, actor=None, data=ChannelCreate(
            kind="email", name="bench mail", secrets={"signing_key": SIGNING_KEY},
            settings={"address": SHOP, "inbound": "mailgun",
                      "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "none"}}))
    return channel.id, names


async def rows(sql: str) -> list:
    from sqlalchemy import text

    from mancrel.core.db import unit_of_work

    async with unit_of_work() as session:
        return list((await session.execute(text(sql))).all())


async def wait_for(sql: str, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if (await rows(sql))[0][0]:
            return
        await asyncio.sleep(0.5)
    state = await rows(
        "SELECT (SELECT json_object_agg(status, n) FROM (SELECT status, count(*) n FROM inbound_events GROUP BY 1) e), "
        "(SELECT count(*) FROM messages WHERE direction = 'inbound' AND processed_at IS NULL), "
        "(SELECT json_object_agg(decision, n) FROM (SELECT decision, count(*) n FROM reply_suggestions GROUP BY 1) s), "
        "(SELECT json_object_agg(status, n) FROM (SELECT status, count(*) n FROM messages "
        "WHERE direction = 'outbound' GROUP BY 1) o), (SELECT count(*) FROM outbox_messages), "
        "(SELECT json_agg(task_name) FROM dead_letters)")
    raise RuntimeError(f"{what}: not done within {within} s; inbound events, unclassified, decisions, outbound, "
                       f"outbox rows, dead letters: {state}")


def settled(prefix: str, expected: int) -> str:
    """True once every message of the run has its suggestion and every automatic reply is sent."""
    return (f"SELECT (SELECT count(*) FROM reply_suggestions s JOIN messages m ON m.id = s.message_id "  # noqa: S608
            f"WHERE m.sender LIKE '%@{prefix}%') >= {expected} AND NOT EXISTS (SELECT 1 FROM "
            f"reply_suggestions s JOIN messages o ON o.id = s.sent_message_id WHERE o.status IN "
            f"('queued', 'sending'))")


async def run(args, stack) -> dict:
    from mancrel.ai import service as ai_service
    from mancrel.core.db import unit_of_work

    catalog = _bench_modules()
    smtp = Smtp()
    smtp.controller.start()
    try:
        channel_id, names = await setup(args.products, smtp.port)
        names_file = stack.root / "names.json"
        names_file.write_text(json.dumps(names))
        os.environ[NAMES_ENV] = str(names_file)
        async with unit_of_work() as session:
            await ai_service.active_classifier(session)  # version 1, as `mancrel run` trains at start
        from mancrel.core.embedded import wait_for_port

        stack.spawn("serve", "--port", str(stack.port), log="api.log")
        wait_for_port(stack.port, timeout=300)  # a busy machine takes its time to import the app
        stack.spawn("worker", "-c", str(args.workers), log="worker.log")
        indexed = f"SELECT count(*) >= {int(args.products)} FROM search_documents WHERE entity_type = 'product'"  # noqa: S608
        await wait_for(indexed, 900, "catalogue indexing")
        path, builder = f"/webhook/email/{channel_id}", f"{HERE / 'e2e.py'}:request"
        catalog.offered_load(stack.port, path, rate=2, seconds=5, processes=1, prefix="warm", secret=SIGNING_KEY,
                             request=builder)  # the worker's embedder and model loaded
        await wait_for(settled("warm", 10), 300, "warm-up")
        load_before = os.getloadavg()
        load = catalog.offered_load(stack.port, path, rate=args.rate, seconds=args.seconds, processes=1,
                                    prefix="run", secret=SIGNING_KEY, request=builder)
        expected = sum(n for status, n in load["statuses"].items() if status.startswith("2"))
        await wait_for(settled("run", int(expected)), 900, "the run")
        return await report(args, load, load_before, smtp.received)
    finally:
        smtp.controller.stop()
        await catalog.dispose_engine()


async def report(args, load: dict, load_before, mails: int) -> dict:
    percentile = _bench_modules().percentile
    measured = await rows(
        "SELECT s.decision, extract(epoch FROM (CASE WHEN s.decision = 'auto_send' THEN o.sent_at "
        "ELSE s.created_at END) - e.received_at), extract(epoch FROM m.processed_at - e.received_at) "
        "FROM inbound_events e JOIN messages m ON m.id = e.message_id "
        "JOIN reply_suggestions s ON s.message_id = m.id LEFT JOIN messages o ON o.id = s.sent_message_id "
        "WHERE m.sender LIKE '%@run%'")
    decided = [float(r[1]) for r in measured if r[1] is not None]
    classified = [float(r[2]) for r in measured]
    decisions: dict[str, int] = {}
    for decision, *_ in measured:
        decisions[decision] = decisions.get(decision, 0) + 1
    return {"benchmark": "ai-e2e", "offered_per_s": args.rate, "seconds": args.seconds, "workers": args.workers,
            "ack": load, "messages": len(measured), "decisions": decisions, "smtp_accepted": mails,
            "stored_to_decided_p50_s": round(percentile(decided, 50), 3),
            "stored_to_decided_p95_s": round(percentile(decided, 95), 3),
            "stored_to_decided_max_s": round(max(decided), 3),
            "stored_to_classified_p50_s": round(percentile(classified, 50), 3),
            "stored_to_classified_p95_s": round(percentile(classified, 95), 3),
            "load_average_before": [round(x, 1) for x in load_before],
            "load_average_after": [round(x, 1) for x in os.getloadavg()]}


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("--rate", type=float, default=20)
    cli.add_argument("--seconds", type=float, default=30)
    cli.add_argument("--products", type=int, default=1000)
    cli.add_argument("--workers", type=int, default=2, help="the worker's processes (-c)")
    args = cli.parse_args()
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parents[1] / "backend"))
    stack = _bench_modules().Stack()
    stack.start()
    try:
        print(json.dumps(asyncio.run(run(args, stack))))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
