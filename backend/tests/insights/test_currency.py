"""Every money figure the insights API returns says which currency it is in."""

from decimal import Decimal

from sqlalchemy import update

from mancrel.catalog.models import ProductVariant
from mancrel.core.config import get_settings
from mancrel.deal.models import Deal
from mancrel.insights import leads, opportunities
from mancrel.insights.lead_score import describe
from mancrel.insights.lead_score_models import Opportunity
from mancrel.reply.models import Suggestion
from tests.contact.factories import quick_user
from tests.factories import auth_headers
from tests.insights.crm_history import days_ago, deal, message, person, purchases
from tests.reply.factories import make_product


def _suggestion(message_row, contact, facts: list[dict]) -> Suggestion:
    return Suggestion(message_id=message_row.id, conversation_id=message_row.conversation_id, contact_id=contact.id,
                      intent="pricing", confidence=Decimal("0.9"), decision="approval", status="sent", reasons=[],
                      facts=facts)


async def _listed(client, user) -> dict[str, dict]:
    response = await client.get("/api/v1/insights/opportunities", headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return {i["contact"]["id"]: i for i in response.json()["items"]}


async def test_each_opportunity_value_comes_with_the_currency_it_was_priced_in(client, db):
    rep = await quick_user(db)
    # A pricing question the reply step answered from a product priced in Swiss francs.
    asker = await person(db, owner=rep, name="Asker")
    asked = await message(db, asker, at=days_ago(1), intent="pricing", text="Price of the jacket?")
    db.add(_suggestion(asked, asker, [{"product_id": None, "sku": "JKT", "field": "price", "value": "189.00 CHF",
                                       "source_updated_at": "2026-12-01T00:00:00+00:00"}]))
    # A product asked about while out of stock, back now, sold in pounds.
    waiter = await person(db, owner=rep, name="Waiter")
    socks = await make_product(db, title="Alpine Merino Socks", price="12.50", currency="GBP", stock=0)
    waited = await message(db, waiter, at=days_ago(10), intent="availability", text="Socks back soon?")
    db.add(_suggestion(waited, waiter, [{"product_id": str(socks.id), "sku": "SOCK-MER-M", "field": "stock",
                                         "value": 0, "source_updated_at": "2026-12-01T00:00:00+00:00"}]))
    # A regular customer whose orders were in dollars.
    regular = await person(db, owner=rep, name="Regular")
    await purchases(db, regular, [25, 55, 85, 115])
    await db.execute(update(Deal).where(Deal.contact_id == regular.id).values(currency="USD"))
    # A buying question with no price quoted: no value, so no currency either.
    vague = await person(db, owner=rep, name="Vague")
    await message(db, vague, at=days_ago(1), intent="purchase_intent", text="I want to order")
    await db.flush()
    await opportunities.run(db)
    await db.execute(update(ProductVariant).where(ProductVariant.product_id == socks.id).values(stock=3))
    await opportunities.run(db)

    items = await _listed(client, rep)
    assert (items[str(asker.id)]["value"], items[str(asker.id)]["currency"]) == (189.0, "CHF")
    assert (items[str(waiter.id)]["kind"], items[str(waiter.id)]["value"], items[str(waiter.id)]["currency"]) == (
        "back_in_stock", 12.5, "GBP")
    assert (items[str(regular.id)]["kind"], items[str(regular.id)]["value"], items[str(regular.id)]["currency"]) == (
        "repeat_purchase", 500.0, "USD")
    assert (items[str(vague.id)]["value"], items[str(vague.id)]["currency"]) == (None, None)

    # One click makes the deal in the currency the customer was quoted in, not the default.
    created = await client.post(f"/api/v1/insights/opportunities/{items[str(asker.id)]['id']}/create-deal",
                                headers=auth_headers(rep))
    assert created.status_code == 201, created.text
    made = await db.get(Deal, created.json()["deal_id"])
    assert (made.amount, made.currency) == (Decimal("189.00"), "CHF")


async def test_an_opportunity_without_a_recorded_currency_reads_as_the_shops_default(client, db, monkeypatch):
    rep = await quick_user(db)
    contact = await person(db, owner=rep)
    # As written before opportunities had a currency column.
    db.add(Opportunity(contact_id=contact.id, kind="intent_no_deal", key="old", title="Old one", reasons=[],
                       value=40.0, currency=None, status="open"))
    await db.flush()
    monkeypatch.setattr(get_settings(), "default_currency", "SEK")
    item = (await _listed(client, rep))[str(contact.id)]
    assert (item["value"], item["currency"]) == (40.0, "SEK")


async def test_a_lead_shows_its_open_deal_amount_in_the_deals_currency(client, db):
    rep = await quick_user(db)
    contact = await person(db, owner=rep, name="Lead")
    open_deal = await deal(db, contact, created=days_ago(5), amount="12000")
    open_deal.currency = "JPY"
    await db.flush()
    await leads.score(db)
    response = await client.get(f"/api/v1/insights/leads/{contact.id}", headers=auth_headers(rep))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["deal_amount"], body["deal_currency"]) == (12000.0, "JPY")
    # The reason a rep reads about the deal's size names the currency too.
    assert describe("deal_size", {"deal_amount": 12000.0, "deal_currency": "JPY"}) == "open deal worth 12,000 JPY"
