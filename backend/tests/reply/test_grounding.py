"""Grounding against the catalogue as synced now: what a draft may claim, and what fails."""

from datetime import timedelta

from sqlalchemy import update

from mancrel.catalog.models import Product
from mancrel.core.db import utcnow
from mancrel.reply import grounding, retrieval
from mancrel.reply.local_provider import LocalProvider
from mancrel.reply.provider import DraftRequest
from tests.catalog.factories import make_source
from tests.reply.factories import make_knowledge, make_product

LIMIT = 900


async def _facts(db, text, intent="pricing"):
    return await retrieval.retrieve(db, text=text, intent=intent)


async def _check(db, draft, facts, customer_text="How much are the Merino Hiking Socks?"):
    return await grounding.check(db, draft=draft, facts=facts, customer_text=customer_text, max_age_seconds=LIMIT)


async def test_the_local_draft_about_a_named_product_is_grounded(db):
    await make_product(db)
    facts = await _facts(db, "How much are the Merino Hiking Socks?")
    draft = await LocalProvider().draft(DraftRequest(intent="pricing", language="en", customer_name="Ada",
                                                     customer_text="", facts=facts, signature="Alpine Loom"))
    assert "18.00 EUR" in draft.text and "10 in stock" in draft.text and draft.text.startswith("Hi Ada,")
    result = await _check(db, draft.text, facts)
    assert result.ok, result.failed_claims


async def test_a_sku_in_the_customers_words_finds_the_product_first(db):
    await make_product(db, title="Trail Jacket", sku="TJ-200-L", price="129.00")
    await make_product(db)
    facts = await _facts(db, "price of tj-200-l please?")
    assert [(p.title, p.match) for p in facts.products] == [("Trail Jacket", "sku")]


async def test_an_invented_price_fails_and_is_named(db):
    await make_product(db)
    facts = await _facts(db, "How much are the Merino Hiking Socks?")
    result = await _check(db, "Hi Ada, the Merino Hiking Socks cost 15.00 EUR.", facts)
    assert not result.ok
    assert [(c["claim"], c["kind"]) for c in result.failed_claims] == [("15.00 EUR", "price")]


async def test_the_right_amount_in_the_wrong_currency_fails(db):
    await make_product(db)
    facts = await _facts(db, "How much are the Merino Hiking Socks?")
    assert not (await _check(db, "They cost $18.00.", facts)).ok
    assert (await _check(db, "They cost €18.00.", facts)).ok


async def test_a_wrong_stock_figure_or_in_stock_for_an_empty_shelf_fails(db):
    await make_product(db, stock=0)
    facts = await _facts(db, "Are the Merino Hiking Socks in stock?", intent="availability")
    wrong_figure = await _check(db, "We have 12 in stock.", facts)
    assert [c["kind"] for c in wrong_figure.failed_claims] == ["stock"]
    in_stock = await _check(db, "Good news: the Merino Hiking Socks are in stock.", facts)
    assert [c["reason"] for c in in_stock.failed_claims] == ["Merino Hiking Socks is out of stock"]
    assert (await _check(db, "The Merino Hiking Socks are out of stock at the moment.", facts)).ok


async def test_an_unknown_sku_or_another_catalogue_product_fails(db):
    await make_product(db)
    await make_product(db, title="Alpaca Beanie", sku="BEANIE-ALP-1", price="25.00")
    facts = await _facts(db, "How much are the Merino Hiking Socks?")
    result = await _check(db, "The socks are SOCK-MER-XL. You may like the Alpaca Beanie too.", facts)
    assert sorted((c["claim"], c["kind"]) for c in result.failed_claims) == [
        ("Alpaca Beanie", "product"), ("SOCK-MER-XL", "sku")]


async def test_delivery_times_and_percentages_must_come_from_a_knowledge_entry(db):
    await make_knowledge(db, body="We ship within 2 business days. Returns get a 100% refund within 30 days.",
                         intents=("shipping", "pricing"))
    await make_product(db)
    facts = await _facts(db, "How much are the Merino Hiking Socks?")
    assert (await _check(db, "We ship within 2 business days and refund 100% within 30 days.", facts)).ok
    result = await _check(db, "Delivery takes 5 days and you get 10% off.", facts)
    assert sorted(c["claim"] for c in result.failed_claims) == ["10%", "5"]


async def test_a_product_whose_source_is_behind_its_freshness_limit_fails(db):
    source = await make_source(db, kind="feed", poll_url="https://shop.example.com/feed")
    await make_product(db, source=source)
    facts = await _facts(db, "How much are the Merino Hiking Socks?")
    assert (await _check(db, "The Merino Hiking Socks cost 18.00 EUR.", facts)).ok  # never polled, just loaded
    # Its polls have failed since the last good one, longer ago than the limit: the price may have changed.
    source.last_poll_at = utcnow() - timedelta(seconds=LIMIT + 600)
    source.poll_failures, source.last_poll_error = 3, "https://shop.example.com/feed answered 503"
    facts = await _facts(db, "How much are the Merino Hiking Socks?")
    result = await _check(db, "The Merino Hiking Socks cost 18.00 EUR.", facts)
    assert [c["kind"] for c in result.failed_claims] == ["stale"]


async def test_a_quiet_webhook_source_is_not_stale(db):
    source = await make_source(db)  # webhooks only, nothing pending
    await make_product(db, source=source)
    await db.execute(update(Product).where(Product.source_id == source.id)
                     .values(updated_at=utcnow() - timedelta(seconds=LIMIT + 600)))
    facts = await _facts(db, "How much are the Merino Hiking Socks?")
    assert (await _check(db, "The Merino Hiking Socks cost 18.00 EUR.", facts)).ok


async def test_a_title_inside_a_longer_title_among_the_facts_is_not_a_claim_about_another_product(db):
    await make_product(db)  # "Merino Hiking Socks", another product, read inside the 3-pack's title
    await make_product(db, title="Merino Hiking Socks 3-Pack", sku="SOCK-MER-3P-M", price="48.00", stock=20)
    question = "do you have the merino hiking socks 3-pack in size M? How much are they?"
    facts = await _facts(db, question, intent="availability")
    assert [p.title for p in facts.products] == ["Merino Hiking Socks 3-Pack"]
    draft = await LocalProvider().draft(DraftRequest(intent="availability", language="en", customer_name="Ada",
                                                     customer_text=question, facts=facts, signature="Alpine Loom"))
    assert (await _check(db, draft.text, facts, question)).ok
    edited = "Hi Ada, yes: the Merino Hiking Socks 3-Pack in M costs 48.00 EUR, 20 in stock."
    assert (await _check(db, edited, facts, question)).ok
    # The shorter title named on its own is still a product the facts do not cover.
    other = await _check(db, edited + " The Merino Hiking Socks (single pair) are cheaper.", facts, question)
    assert [(c["claim"], c["kind"]) for c in other.failed_claims] == [("Merino Hiking Socks", "product")]
