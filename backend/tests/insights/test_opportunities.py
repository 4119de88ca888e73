"""Opportunities: each kind found from the CRM's data, one-click deals, dismissal that sticks."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select, update

from mancrel.ai import indexing
from mancrel.catalog.models import ProductVariant
from mancrel.core.permissions import Role
from mancrel.deal import line_items_service
from mancrel.deal.line_items_schemas import LineItemCreate
from mancrel.deal.models import Deal
from mancrel.inbox.models import Conversation
from mancrel.insights import opportunities, profile_service
from mancrel.insights.lead_score_models import Opportunity
from mancrel.reply.models import Suggestion
from tests.catalog.factories import make_source
from tests.contact.factories import quick_user
from tests.deal.factories import make_contact, make_deal
from tests.factories import auth_headers, make_user
from tests.insights.crm_history import days_ago, deal, message, person, purchases
from tests.reply.factories import make_product


async def _won_with(db, rep, contact, *products):
    won = await make_deal(db, actor=rep, owner=rep, contact_id=contact.id, stage="Won")
    won.closed_at = days_ago(20)
    for product in products:
        await line_items_service.add(db, deal=won, data=LineItemCreate(product_id=product.id), actor=rep)
    await db.flush()
    return won


async def _listed(client, user) -> list[dict]:
    response = await client.get("/api/v1/insights/opportunities", headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def _of(db, contact) -> list[Opportunity]:
    return list(await db.scalars(select(Opportunity).where(Opportunity.contact_id == contact.id)))


async def test_a_buying_question_without_a_deal_becomes_a_deal_in_one_click(client, db):
    rep = await quick_user(db)
    asker = await person(db, owner=rep, name="Asker")
    await message(db, asker, at=days_ago(1), intent="pricing", text="How much for 30 jackets?",
                  subject="Quote for 30 jackets")
    has_deal = await person(db, owner=rep)
    await deal(db, has_deal, created=days_ago(3))
    await message(db, has_deal, at=days_ago(1), intent="purchase_intent", text="Please send the invoice")
    await opportunities.run(db)
    assert await _of(db, has_deal) == []
    [item] = [i for i in await _listed(client, rep) if i["contact"]["id"] == str(asker.id)]
    assert item["kind"] == "intent_no_deal" and "Quote for 30 jackets" in item["title"]
    assert any("asked about prices" in r for r in item["reasons"])

    response = await client.post(f"/api/v1/insights/opportunities/{item['id']}/create-deal",
                                 headers=auth_headers(rep))
    assert response.status_code == 201, response.text
    created = await db.get(Deal, response.json()["deal_id"])
    assert created.contact_id == asker.id and created.owner_id == rep.id and created.status == "open"
    assert str(asker.id) not in {i["contact"]["id"] for i in await _listed(client, rep)}
    again = await client.post(f"/api/v1/insights/opportunities/{item['id']}/create-deal", headers=auth_headers(rep))
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"


async def test_a_product_asked_about_while_out_of_stock_is_an_opportunity_once_back(db):
    rep = await quick_user(db)
    contact = await person(db, owner=rep)
    product = await make_product(db, title="Alpine Merino Socks", stock=0)
    asked = await message(db, contact, at=days_ago(10), intent="availability", text="When are the socks back?")
    db.add(Suggestion(message_id=asked.id, conversation_id=asked.conversation_id, contact_id=contact.id,
                      intent="availability", confidence=Decimal("0.9"), decision="approval", status="sent",
                      reasons=[], facts=[{"product_id": str(product.id), "sku": "SOCK-MER-M", "field": "stock",
                                          "value": 0, "source_updated_at": "2026-12-01T00:00:00+00:00"}]))
    await db.flush()
    await opportunities.run(db)
    assert await _of(db, contact) == []  # still out of stock: nothing to offer yet
    await db.execute(update(ProductVariant).where(ProductVariant.product_id == product.id).values(stock=7))
    await opportunities.run(db)
    [found] = await _of(db, contact)
    assert found.kind == "back_in_stock" and found.product_id == product.id
    assert found.title == "Back in stock: Alpine Merino Socks" and "7 in stock now" in found.reasons


async def test_a_repeat_purchase_due_soon_is_an_opportunity_unless_a_deal_is_open(db):
    rep = await quick_user(db)
    due = await person(db, owner=rep)
    await purchases(db, due, [25, 55, 85, 115])
    busy = await person(db, owner=rep)
    await purchases(db, busy, [25, 55, 85])
    await deal(db, busy, created=days_ago(2))
    not_yet = await person(db, owner=rep)
    await purchases(db, not_yet, [5, 95, 185])
    await opportunities.run(db)
    [found] = await _of(db, due)
    assert found.kind == "repeat_purchase" and any("every 30 days" in r for r in found.reasons)
    assert abs((found.due_at - days_ago(-5)).total_seconds()) < timedelta(days=1).total_seconds()
    assert await _of(db, busy) == [] and await _of(db, not_yet) == []


async def test_a_dismissed_opportunity_is_never_shown_or_raised_again(client, db):
    a, b = await quick_user(db), await quick_user(db)
    contact = await person(db, owner=a)
    first = await message(db, contact, at=days_ago(1), intent="purchase_intent", text="I'll take two")
    await opportunities.run(db)
    [item] = [i for i in await _listed(client, a) if i["contact"]["id"] == str(contact.id)]
    hidden = await client.post(f"/api/v1/insights/opportunities/{item['id']}/dismiss", headers=auth_headers(b))
    assert hidden.status_code == 404  # rep B cannot see rep A's contact
    response = await client.post(f"/api/v1/insights/opportunities/{item['id']}/dismiss", headers=auth_headers(a))
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    # The customer writes again in the same conversation: the same opportunity, so not raised again.
    await message(db, contact, at=days_ago(0.5), intent="purchase_intent", text="Still want them",
                  conversation=await db.get(Conversation, first.conversation_id))
    await opportunities.run(db)
    assert str(contact.id) not in {i["contact"]["id"] for i in await _listed(client, a)}
    assert [o.status for o in await _of(db, contact)] == ["dismissed"]
    again = await client.post(f"/api/v1/insights/opportunities/{item['id']}/dismiss", headers=auth_headers(a))
    assert again.status_code == 409


async def test_opportunities_follow_the_visibility_rule(client, db):
    a, b = await quick_user(db), await quick_user(db)
    manager = await quick_user(db, role=Role.manager)
    ids = {}
    for key, owner in (("a", a), ("b", b), ("nobody", None)):
        contact = await person(db, owner=owner)
        await message(db, contact, at=days_ago(1), intent="pricing", text="Price for 10?")
        ids[key] = str(contact.id)
    await opportunities.run(db)
    seen_a = {i["contact"]["id"] for i in await _listed(client, a)}
    assert ids["a"] in seen_a and ids["nobody"] in seen_a and ids["b"] not in seen_a
    assert set(ids.values()) <= {i["contact"]["id"] for i in await _listed(client, manager)}


async def test_an_open_deal_gets_an_upsell_that_customers_with_the_same_products_bought(db):
    rep = await make_user(db)
    source = await make_source(db)
    jacket = await make_product(db, title="Trail Jacket", sku="JKT-1", stock=10, source=source)
    socks = await make_product(db, title="Alpine Merino Socks", sku="SOCK-1", stock=40, source=source)
    for product in (jacket, socks):
        await indexing.index_product(db, product.id)
    hikers = [await make_contact(db, owner=rep, first_name=f"Hiker{n}") for n in range(2)]
    for hiker in hikers:
        await _won_with(db, rep, hiker, jacket, socks)
    buyer = await make_contact(db, owner=rep, first_name="Ann")
    await _won_with(db, rep, buyer, jacket)
    open_deal = await make_deal(db, actor=rep, owner=rep, contact_id=buyer.id, stage="Proposal")
    for contact in (*hikers, buyer):
        await profile_service.refresh(db, contact_id=contact.id, force=True)
    await opportunities.run(db)
    [upsell] = [o for o in await _of(db, buyer) if o.kind == "upsell"]
    assert upsell.deal_id == open_deal.id and upsell.product_id == socks.id
    assert "often bought with the Trail Jacket" in upsell.reasons and upsell.title.startswith("Add Alpine Merino Socks")


async def test_a_consumable_bought_regularly_is_due_again_per_product_from_won_line_items(db):
    rep = await make_user(db)
    beans = await make_product(db, title="Espresso Beans 1kg", sku="BEAN-1", stock=50)
    grinder = await make_product(db, title="Hand Grinder", sku="GRIND-1", stock=5)
    cafe = await make_contact(db, owner=rep, first_name="Cafe")
    for age, products in ((86, (beans, grinder)), (56, (beans,)), (26, (beans,))):
        won = await _won_with(db, rep, cafe, *products)
        won.closed_at = days_ago(age)
    await db.flush()
    await opportunities.run(db)
    [found] = await _of(db, cafe)  # the grinder was bought once: no rhythm, no opportunity
    assert found.kind == "repeat_purchase" and found.product_id == beans.id
    assert found.title.startswith("Next Espresso Beans 1kg purchase due")
    assert "buys Espresso Beans 1kg about every 30 days (3 purchases)" in found.reasons
