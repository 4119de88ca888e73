"""Grounding: does every checkable claim in a draft match the facts as synced now?

Run on every draft, whoever wrote it (the local composer, an LLM, a rep's edit). Checked:
- amounts with a currency: a price of a product in the facts, or an amount a knowledge entry states;
- percentages: written in a knowledge entry;
- stock figures ("10 in stock", "3 left"): a stock of a product in the facts; "in stock" said of a
  product whose every variant is at 0 fails, and so does "out of stock" said of one that has stock;
- SKUs: a SKU of a product in the facts;
- product names: a catalogue product the draft names must be one of the facts (a title read only
  inside a longer title among the facts is part of that name, not a claim);
- any other number (delivery times, dates, quantities): written in the facts or in the customer's
  own words;
- freshness: a product the draft cites whose data is further behind its source than the limit.
A draft fails with the list of claims that did not match; it is then never sent on its own.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog import matching
from mancrel.reply.facts import Facts, ProductFact

CURRENCY_WORDS = {"€": "EUR", "$": "USD", "£": "GBP", "euro": "EUR", "euros": "EUR", "dollar": "USD",
                  "dollars": "USD", "pound": "GBP", "pounds": "GBP"}
ISO_CODES = ("EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "CAD", "AUD",
             "NZD", "JPY", "CNY", "INR", "BRL", "MXN", "ZAR", "TRY")
_CUR = r"€|\$|£|\b(?:" + "|".join(ISO_CODES) + r")\b|\beuros?\b|\bdollars?\b|\bpounds?\b"
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
MONEY = re.compile(rf"(?P<c1>{_CUR})\s?(?P<a1>{_AMOUNT})|(?P<a2>{_AMOUNT})\s?(?P<c2>{_CUR})", re.IGNORECASE)
PERCENT = re.compile(rf"(?P<a>{_AMOUNT})\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
STOCK = re.compile(r"\b(?P<n>\d+)\s+(?:\w+\s+){0,2}?(?:in stock|available|left|units?|pieces?|pcs|items?)\b",
                   re.IGNORECASE)
SKU_LIKE = re.compile(r"\b[A-Z0-9]+(?:-[A-Z0-9]+)+\b")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
IN_STOCK = re.compile(r"\b(in stock|available|ready to ship|we have \d+)\b", re.IGNORECASE)
OUT_OF_STOCK = re.compile(r"\b(out of stock|not (?:in stock|available)|unavailable|sold out)\b", re.IGNORECASE)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass
class Grounding:
    ok: bool
    failed_claims: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "failed_claims": self.failed_claims}


def amount(text: str) -> Decimal | None:
    text = text.strip()
    if re.fullmatch(r"\d+,\d{2}", text):  # a decimal comma: 18,00
        text = text.replace(",", ".")
    try:
        return Decimal(text.replace(",", "")).normalize()
    except InvalidOperation:
        return None


def currency(token: str) -> str:
    return CURRENCY_WORDS.get(token.lower(), token.upper())


def _money_in(text: str) -> set[tuple[Decimal, str]]:
    found = set()
    for m in MONEY.finditer(text):
        value = amount(m.group("a1") or m.group("a2"))
        if value is not None:
            found.add((value, currency(m.group("c1") or m.group("c2"))))
    return found


def _numbers_in(text: str) -> set[Decimal]:
    return {n for n in (amount(t) for t in NUMBER.findall(text or "")) if n is not None}


@dataclass
class _Allowed:
    money: set[tuple[Decimal, str]]
    percents: set[Decimal]
    stocks: set[Decimal]
    skus: dict[str, ProductFact]
    numbers: set[Decimal]


def _allowed(facts: Facts, customer_text: str) -> _Allowed:
    knowledge = " ".join(k.body for k in facts.knowledge)
    money = _money_in(knowledge)
    numbers = _numbers_in(knowledge) | _numbers_in(customer_text)
    stocks: set[Decimal] = set()
    skus: dict[str, ProductFact] = {}
    for p in facts.products:
        numbers |= _numbers_in(p.title)
        for v in p.variants:
            money.add((Decimal(v.price).normalize(), v.currency.upper()))
            if v.compare_at_price is not None:
                money.add((Decimal(v.compare_at_price).normalize(), v.currency.upper()))
            if v.stock is not None:
                stocks.add(Decimal(v.stock))
            if v.sku:
                skus[v.sku.lower()] = p
                numbers |= _numbers_in(v.sku)
            numbers |= _numbers_in(" ".join(str(o) for o in (v.options or {}).values())) | _numbers_in(v.title or "")
    percents = {amount(m.group("a")) for m in PERCENT.finditer(knowledge)}
    return _Allowed(money, {p for p in percents if p is not None}, stocks, skus, numbers | stocks)


async def check(session: AsyncSession, *, draft: str, facts: Facts, customer_text: str,
                max_age_seconds: float) -> Grounding:
    allowed = _allowed(facts, customer_text)
    failed: list[dict[str, Any]] = []
    spans: list[tuple[int, int]] = []  # parts of the draft already judged: not re-read as bare numbers

    def fail(claim: str, kind: str, reason: str) -> None:
        failed.append({"claim": claim, "kind": kind, "reason": reason})

    cited: dict[Any, ProductFact] = {}
    for m in MONEY.finditer(draft):
        spans.append(m.span())
        value, code = amount(m.group("a1") or m.group("a2")), currency(m.group("c1") or m.group("c2"))
        if (value, code) not in allowed.money:
            fail(m.group(0), "price", "no product or policy in the facts states this amount in this currency")
        for p in facts.products:
            if any((Decimal(v.price).normalize(), v.currency.upper()) == (value, code) for v in p.variants):
                cited[p.product_id] = p
    for m in PERCENT.finditer(draft):
        spans.append(m.span())
        if amount(m.group("a")) not in allowed.percents:
            fail(m.group(0), "percentage", "no policy in the facts states this percentage")
    for m in STOCK.finditer(draft):
        spans.append(m.span("n"))
        if Decimal(m.group("n")) not in allowed.stocks:
            fail(m.group(0), "stock", "no product in the facts has this stock figure")
    for m in _skus(draft):
        spans.append(m.span())
        product = allowed.skus.get(m.group(0).lower())
        if product is None:
            fail(m.group(0), "sku", "not a SKU of a product in the facts")
        else:
            cited[product.product_id] = product
    fact_ids = {p.product_id for p in facts.products}
    for product in await matching.products_named_in(session, draft, limit=20):
        if product.id not in fact_ids and not _only_inside_longer_titles(product.title, draft, facts):
            fail(product.title, "product", "a catalogue product that is not among the facts")
    for p in facts.products:
        if p.title and p.title.lower() in draft.lower():
            cited[p.product_id] = p
    _check_stock_words(draft, facts, fail)
    _check_bare_numbers(draft, spans, allowed, fail)
    for p in cited.values():
        if p.age_seconds > max_age_seconds:
            fail(p.title, "stale", f"catalogue data is {int(p.age_seconds)} s behind its source "
                                   f"(limit {int(max_age_seconds)} s)")
    return Grounding(ok=not failed, failed_claims=failed)


def _occurrences(needle: str, haystack: str) -> list[tuple[int, int]]:
    return [(m.start(), m.start() + len(needle)) for m in re.finditer(re.escape(needle.lower()), haystack.lower())]


def _only_inside_longer_titles(title: str, draft: str, facts: Facts) -> bool:
    """"Merino Hiking Socks" read inside "Merino Hiking Socks 3-Pack", a product among the facts, is
    part of that title, not a claim about another product."""
    covers = [span for p in facts.products if len(p.title) > len(title) for span in _occurrences(p.title, draft)]
    return all(any(start <= s and e <= end for start, end in covers) for s, e in _occurrences(title, draft))


def _skus(text: str) -> list[re.Match]:
    """Upper-case dashed codes with a digit or two dashes (SOCK-MER-M, TR-42), not T-SHIRT."""
    return [m for m in SKU_LIKE.finditer(text) if any(c.isalpha() for c in m.group(0))
            and (any(c.isdigit() for c in m.group(0)) or m.group(0).count("-") >= 2)]


def _check_stock_words(draft: str, facts: Facts, fail) -> None:
    """"In stock" about a product that has none, or "out of stock" about one that has some."""
    for sentence in SENTENCE.split(draft):
        for p in facts.products:
            if not p.named_in(sentence):
                continue
            says_out = OUT_OF_STOCK.search(sentence) is not None
            says_in = not says_out and IN_STOCK.search(sentence) is not None
            if says_in and not p.in_stock:
                fail(sentence.strip(), "stock", f"{p.title} is out of stock")
            if says_out and all(v.stock is not None and v.stock > 0 for v in p.variants):
                fail(sentence.strip(), "stock", f"{p.title} is in stock")


def _check_bare_numbers(draft: str, spans: list[tuple[int, int]], allowed: _Allowed, fail) -> None:
    for m in NUMBER.finditer(draft):
        if any(start <= m.start() < end for start, end in spans):
            continue
        value = amount(m.group(0))
        if value is not None and value not in allowed.numbers:
            fail(m.group(0), "number", "this figure is not in the facts or the customer's message")
