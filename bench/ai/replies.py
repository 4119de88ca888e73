"""The AI replies on 200 team-written customer questions (issue #20): what share is sent on its own,
held for approval, escalated, and how many drafts state a wrong or invented fact (goal: 0).

    ../../.venv/bin/python replies.py [--out replies_results.jsonl]

Starts its own embedded PostgreSQL and Valkey. The catalogue is `replies_catalogue.generate()`
(1,000 products, written by another engineer without seeing the reply code), stored through the
catalogue service a sync uses and indexed for search as the `ai.embed_product` job does. Four short
policy texts (shipping, returns, payment, warranty) are the seller's knowledge entries. Each line
of `replies_questions.jsonl` arrives as a customer's mail (inbox intake: threading, contact), is
classified by the shipped classifier in the batch path `ai.process_message` runs, and is decided by
`reply.decide`'s function with the `local` provider and the default policy (live, 0.90 / 0.60).

Every draft (sent or waiting) is then checked here, without the product's grounding code: SKUs,
prices with their currency and stock figures are parsed from the text and compared with the
generator's data for the products the draft names (by SKU or title; a line naming a SKU is held to
that SKU), and with the numbers of the knowledge texts. A SKU that does not exist, a price or stock
figure that no named product has, "in stock" for a sold-out or archived product or "out of stock"
for one in stock: each is a wrong fact. Separately, a draft about none of the question's products
is counted as answering the wrong product.
"""

import argparse
import asyncio
import json
import re
import sys
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "backend"))

KNOWLEDGE = [
    ("shipping", "Shipping", ["shipping"],
     "We ship within 2 business days from our warehouse. Delivery in Germany costs 4.90 EUR and is free "
     "from 50 EUR; delivery to other EU countries takes 3-5 business days and costs 9.90 EUR."),
    ("returns", "Returns", ["returns_refund"],
     "You can return unused items within 30 days of delivery. Send us your order number and we email a "
     "prepaid return label; the refund reaches your account within 5 business days of the return arriving."),
    ("payment", "Payment", ["purchase_intent"],
     "You can order on our website and pay by card, PayPal or bank transfer. Prices include VAT."),
    ("warranty", "Warranty", ["support", "complaint"],
     "Every product carries a 2-year warranty. Send us a photo and your order number and we will repair "
     "or replace it."),
]
SKU = re.compile(r"\b[A-Z]{3}-\d{3,5}(?:-[A-Z0-9]{1,6})*\b")
CURRENCY = {"EUR": "EUR", "€": "EUR", "USD": "USD", "$": "USD", "GBP": "GBP", "£": "GBP"}
_AMOUNT, _CURRENCY = r"(\d[\d,]*(?:\.\d{1,2})?)", r"(EUR|USD|GBP|€|\$|£)"
PRICE = re.compile(rf"(?:{_CURRENCY}\s?{_AMOUNT})|(?:{_AMOUNT}\s?{_CURRENCY})")
STOCK = re.compile(r"\b(\d+)\s+(?:in stock|left|available|on hand)\b", re.IGNORECASE)
OUT = re.compile(r"\b(out of stock|sold out|not in stock|unavailable)\b", re.IGNORECASE)


# --- the catalogue as the generator wrote it --------------------------------------------------
class Truth:
    """The generator's products, indexed by SKU (product and variant) and title."""

    def __init__(self, products: list[dict]) -> None:
        self.products = products
        self.by_sku: dict[str, tuple[dict, dict | None]] = {}
        for product in products:
            self.by_sku[product["sku"]] = (product, None)
            for variant in product["variants"]:
                self.by_sku[variant["sku"]] = (product, variant)
        self.titles = sorted(((p["title"], p) for p in products), key=lambda t: -len(t[0]))
        self.knowledge_numbers = {n for *_, body in KNOWLEDGE for n in re.findall(r"\d+(?:\.\d+)?", body)}

    def named(self, text: str) -> tuple[list[dict], list[str]]:
        """Products the text names (by title, longest first so near-names do not match inside
        longer ones, or by SKU) and SKUs that exist nowhere."""
        found, rest = {}, text
        for title, product in self.titles:
            if title in rest:
                found[product["sku"]] = product
                rest = rest.replace(title, " ")
        invented = []
        for sku in SKU.findall(text):
            if sku in self.by_sku:
                product = self.by_sku[sku][0]
                found[product["sku"]] = product
            else:
                invented.append(sku)
        return list(found.values()), invented


def _records(product: dict) -> list[dict]:
    """Sellable units of a product with their price, currency and stock."""
    units = product["variants"] or [product]
    return [{"price": Decimal(u["price"]), "currency": product["currency"], "stock": int(u["stock"]),
             "active": product["status"] == "active"} for u in units]


def _prices(line: str) -> list[tuple[Decimal, str]]:
    claims = []
    for cur1, amount1, amount2, cur2 in PRICE.findall(line):
        amount, currency = (amount1, cur1) if cur1 else (amount2, cur2)
        claims.append((Decimal(amount.replace(",", "")), CURRENCY[currency]))
    return claims


def check_draft(draft: str, truth: Truth) -> list[str]:
    """Wrong or invented facts in `draft`, each as a short description."""
    text = draft
    for *_, body in KNOWLEDGE:  # the seller's own words are true by definition
        text = text.replace(body, " ")
    products, invented = truth.named(text)
    wrong = [f"SKU {s} does not exist" for s in invented]
    everything = [r for p in products for r in _records(p)]
    for line in text.splitlines():
        line_skus = [s for s in SKU.findall(line) if s in truth.by_sku]
        scope = everything
        if line_skus:
            scope = []
            for sku in line_skus:
                product, variant = truth.by_sku[sku]
                scope += _records(product) if variant is None else [
                    {"price": Decimal(variant["price"]), "currency": product["currency"],
                     "stock": int(variant["stock"]), "active": product["status"] == "active"}]
        for amount, currency in _prices(line):
            if not any(r["price"] == amount and r["currency"] == currency for r in scope) and \
                    f"{amount}" not in truth.knowledge_numbers:
                wrong.append(f"price {amount} {currency} matches no named product ({line.strip()[:80]})")
        for figure in STOCK.findall(line):
            if not any(r["stock"] == int(figure) and r["active"] for r in scope):
                wrong.append(f"stock {figure} matches no named product ({line.strip()[:80]})")
        if OUT.search(line) and scope and all(r["stock"] > 0 and r["active"] for r in scope):
            wrong.append(f"says out of stock, but every named unit is in stock ({line.strip()[:80]})")
    return wrong


def about_the_question(draft: str, question: dict, truth: Truth) -> str | None:
    """"right": the draft names a product the question is about; "other": it names products, none
    of them asked about; "none": it names no product. None when the question names no product."""
    expected = {truth.by_sku[s][0]["sku"] for s in question.get("skus", []) if s in truth.by_sku}
    if not expected:
        return None
    named = {p["sku"] for p in truth.named(draft)[0]}
    return "right" if expected & named else ("other" if named else "none")


# --- the product's path -------------------------------------------------------------------------
async def load_catalogue(products: list[dict]) -> int:
    from mancrel.ai import indexing
    from mancrel.catalog import service as catalog_service
    from mancrel.catalog.models import CatalogSource
    from mancrel.catalog.normalise import NormalisedProduct, NormalisedVariant
    from mancrel.core.db import unit_of_work

    def normalised(p: dict) -> NormalisedProduct:
        units = p["variants"] or [p | {"options": {}}]
        return NormalisedProduct(
            external_id=p["sku"], source_updated_at=datetime.now(UTC), title=p["title"],
            description=p["description"], vendor=p["vendor"], product_type=p["product_type"], tags=p["tags"],
            status=p["status"], variants=[NormalisedVariant(
                external_id=u["sku"], sku=u["sku"], price=Decimal(u["price"]), currency=p["currency"],
                stock=int(u["stock"]), options=u.get("options") or {}) for u in units])

    async with unit_of_work() as session:
        source = CatalogSource(name="reply evaluation shop", kind="standard", currency="EUR")
        session.add(source)
        await session.flush()
        ids = []
        for start in range(0, len(products), 200):
            written = await catalog_service.apply_products(
                session, source_id=source.id, products=[normalised(p) for p in products[start:start + 200]])
            ids += [product_id for product_id, _ in written.values()]
    for start in range(0, len(ids), 100):  # as the ai.embed_product jobs would, in one go
        async with unit_of_work() as session:
            for product_id in ids[start:start + 100]:
                await indexing.index_product(session, product_id)
    return len(ids)


async def add_knowledge() -> None:
    from mancrel.core.db import unit_of_work
    from mancrel.core.permissions import Role
    from mancrel.reply import knowledge
    from mancrel.reply.schemas import KnowledgeCreate

    seller = SimpleNamespace(id=None, email=None, role=Role.admin)
    async with unit_of_work() as session:
        for topic, title, intents, body in KNOWLEDGE:
            await knowledge.create(session, data=KnowledgeCreate(topic=topic, title=title, body=body,
                                                                 intents=intents), actor=seller)


async def ask(questions: list[dict]) -> list[dict]:
    from mancrel.ai import service as ai_service
    from mancrel.channel.models import Channel
    from mancrel.core.db import unit_of_work
    from mancrel.inbox import service as inbox_service
    from mancrel.inbox.inbound import InboundEmail
    from mancrel.inbox.processing import process_waiting
    from mancrel.reply.decision import decide_message

    async with unit_of_work() as session:
        await ai_service.active_classifier(session)  # version 1, trained from the shipped data
        channel = Channel(kind="email", name="eval mail", settings={
            "address": "hello@eval-shop.example", "inbound": "mailgun",
            "smtp": {"host": "127.0.0.1", "port": 2525, "security": "none"}})
        session.add(channel)
    message_ids = []
    for i, q in enumerate(questions):
        async with unit_of_work() as session:
            message = await inbox_service.receive_email(session, channel=await session.get(Channel, channel.id),
                                                        email=InboundEmail(
                from_address=f"customer{i}@eval.example", from_name="", to=["hello@eval-shop.example"],
                subject=q.get("subject") or f"Question {i}", text=q["text"], message_id=f"<{q['id']}@eval.example>"))
            message_ids.append(message.id)
    while True:
        async with unit_of_work() as session:
            if not await process_waiting(session):
                break
    results = []
    for q, message_id in zip(questions, message_ids, strict=True):
        async with unit_of_work() as session:
            s = await decide_message(session, message_id)
            results.append({"id": q["id"], "expected_intent": q["intent"], "intent": s.intent,
                            "confidence": float(s.confidence), "decision": s.decision, "reasons": s.reasons,
                            "draft": s.draft_text, "grounded": s.grounding.get("ok")})
    return results


def summarise(results: list[dict], questions: list[dict], truth: Truth) -> dict:
    by_id = {q["id"]: q for q in questions}
    wrong_facts, topic = [], Counter()
    for r in results:
        if not r["draft"]:
            continue
        r["wrong_facts"] = check_draft(r["draft"], truth)
        r["about_the_question"] = about_the_question(r["draft"], by_id[r["id"]], truth)
        if r["wrong_facts"]:
            wrong_facts.append({"id": r["id"], "decision": r["decision"], "facts": r["wrong_facts"]})
        topic[(r["about_the_question"] or "no product asked", r["decision"])] += 1
    decisions = Counter(r["decision"] for r in results)
    return {"benchmark": "ai-replies", "questions": len(results), "decisions": dict(decisions),
            "share": {k: round(v / len(results), 3) for k, v in decisions.items()},
            "intent_accuracy": round(sum(r["intent"] == r["expected_intent"] for r in results) / len(results), 3),
            "drafts": sum(1 for r in results if r["draft"]),
            "drafts_with_wrong_or_invented_facts": len(wrong_facts),
            "auto_sent_with_wrong_facts": sum(w["decision"] == "auto_send" for w in wrong_facts),
            # For questions about catalogue products: did the draft name one of them ("right"), only
            # other products ("other"), or none at all ("none": a policy text only)?
            "drafts_by_product_and_decision": {f"{a} / {d}": n for (a, d), n in sorted(topic.items())},
            "wrong_facts": wrong_facts,
            "auto_sent_not_about_the_product": [r["id"] for r in results if r["decision"] == "auto_send"
                                                and r.get("about_the_question") in ("other", "none")]}


async def main(args, stack) -> dict:
    from replies_catalogue import generate

    from mancrel.core.db import dispose_engine, init_engine

    products = generate()
    questions = [json.loads(line) for line in (HERE / "replies_questions.jsonl").read_text().splitlines() if line]
    truth = Truth(products)
    init_engine()
    try:
        await load_catalogue(products)
        await add_knowledge()
        results = await ask(questions)
    finally:
        await dispose_engine()
    return summarise(results, questions, truth), results


if __name__ == "__main__":
    from decide import Stack

    cli = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("--out", default="", help="write every question's outcome and draft here (JSON lines)")
    arguments = cli.parse_args()
    bench_stack = Stack()
    bench_stack.start()
    try:
        summary, outcomes = asyncio.run(main(arguments, bench_stack))
        if arguments.out:
            Path(arguments.out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in outcomes))
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    finally:
        bench_stack.stop()
