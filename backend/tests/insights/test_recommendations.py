"""Product recommendations per contact: what a rep sees, why, and that it follows the customer.

Histories are written through the real services (deals, line items, inbound mail) and each
contact's profile is computed by the job's own function, except in the end-to-end test, where a
real worker runs the job after a mail arrives by webhook."""

from datetime import timedelta

from sqlalchemy import delete, select

from mancrel.ai import indexing
from mancrel.ai.models import Classification, Embedding, SearchDocument
from mancrel.contact.models import Contact
from mancrel.core.db import commit, utcnow
from mancrel.core.permissions import Role
from mancrel.deal import line_items_service
from mancrel.deal.line_items_schemas import LineItemCreate
from mancrel.inbox.models import Message
from mancrel.insights import profile_service
from mancrel.insights.profile_models import ProfileRequest
from tests.catalog.factories import make_source
from tests.channel.factories import form_body, mailgun_form
from tests.channel.factories import make_channel as make_mail_channel
from tests.deal.factories import make_contact, make_deal
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, receive
from tests.reply.factories import make_product
from tests.worker.helpers import eventually


async def _catalogue(db, **extra):
    """Outdoor shop products, indexed for search as the ai.embed_product job would."""
    source = await make_source(db)
    specs = {"jacket": ("Trail Jacket", "JKT-1", 10), "shoes": ("Trail Running Shoes", "SHOE-1", 10),
             "socks": ("Alpine Merino Socks", "SOCK-1", 40), "stove": ("Camp Stove Pro", "STOVE-1", 5),
             "mug": ("Enamel Camp Mug", "MUG-1", 30), **extra}
    products = {}
    for key, (title, sku, stock) in specs.items():
        products[key] = await make_product(db, title=title, sku=sku, stock=stock, source=source)
        await indexing.index_product(db, products[key].id)
    return products


async def _bought(db, rep, contact, *products, days_ago: int = 10):
    deal = await make_deal(db, actor=rep, owner=rep, contact_id=contact.id, stage="Won")
    deal.closed_at = utcnow() - timedelta(days=days_ago)
    for product in products:
        await line_items_service.add(db, deal=deal, data=LineItemCreate(product_id=product.id), actor=rep)
    await db.flush()
    return deal


async def _refresh(db, *contacts):
    for contact in contacts:
        await profile_service.refresh(db, contact_id=contact.id, force=True)


async def _recommend(client, user, contact, limit: int = 10):
    response = await client.get(f"/api/v1/contacts/{contact.id}/recommendations", params={"limit": limit},
                                headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def _similar_customers(db, rep, p):
    """Two customers bought the trail jacket with the socks; two others bought camping gear."""
    for n in range(2):
        await _bought(db, rep, await make_contact(db, owner=rep, first_name=f"Hiker{n}"), p["jacket"], p["socks"])
    for n in range(2):
        await _bought(db, rep, await make_contact(db, owner=rep, first_name=f"Camper{n}"), p["stove"], p["mug"])


async def test_a_trail_gear_buyer_is_recommended_the_socks_similar_customers_bought(client, db):
    rep = await make_user(db)
    p = await _catalogue(db)
    await _similar_customers(db, rep, p)
    buyer = await make_contact(db, owner=rep, first_name="Ann")
    await _bought(db, rep, buyer, p["jacket"])
    await _refresh(db, *await _contacts(db, rep))

    items = await _recommend(client, rep, buyer)

    titles = [i["product"]["title"] for i in items]
    assert titles[0] == "Alpine Merino Socks", items
    assert "often bought with the Trail Jacket" in items[0]["reasons"]
    assert "Trail Jacket" not in titles  # a durable good they bought does not come back
    assert titles.index("Alpine Merino Socks") < titles.index("Camp Stove Pro")
    first = items[0]["product"]
    assert (first["sku"], first["price"], first["currency"], first["stock"]) == ("SOCK-1", "18.00", "EUR", 40)
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)


async def _contacts(db, rep):
    """The contacts this test made: every one is owned by its (new) rep."""
    return list(await db.scalars(select(Contact).where(Contact.owner_id == rep.id)))


async def test_an_out_of_stock_product_never_appears(client, db):
    rep = await make_user(db)
    p = await _catalogue(db, gaiters=("Trail Gaiters", "GAIT-1", 0))
    for n in range(3):  # what similar customers bought most is sold out
        await _bought(db, rep, await make_contact(db, owner=rep, first_name=f"Hiker{n}"), p["jacket"], p["gaiters"])
    buyer = await make_contact(db, owner=rep)
    await _bought(db, rep, buyer, p["jacket"])
    channel = await make_channel(db, owner=rep)
    buyer.emails = ["ann.gaiters@customer.example"]
    await db.flush()
    await receive(db, channel, inbound("ann.gaiters@customer.example", text="Are the Trail Gaiters back soon?"))
    await _refresh(db, *await _contacts(db, rep))

    titles = [i["product"]["title"] for i in await _recommend(client, rep, buyer, limit=50)]

    assert titles and "Trail Gaiters" not in titles


async def test_a_new_contact_gets_popular_products_and_a_bought_consumable_returns_when_due(client, db):
    rep = await make_user(db)
    p = await _catalogue(db)
    wax = await make_product(db, title="Boot Wax", sku="WAX-1", price="9.50", stock=20)
    wax.tags = ["consumable", "care"]  # a consumable: bought again every 90 days or so
    await db.flush()
    await _similar_customers(db, rep, p)
    newcomer = await make_contact(db, owner=rep, first_name="New")
    regular = await make_contact(db, owner=rep, first_name="Regular")
    await _bought(db, rep, regular, wax, p["stove"], days_ago=120)
    recent = await make_contact(db, owner=rep, first_name="Recent")
    await _bought(db, rep, recent, wax, days_ago=5)
    await _refresh(db, *await _contacts(db, rep))

    fresh = await _recommend(client, rep, newcomer, limit=3)
    assert fresh and all(i["reasons"][0].startswith("popular") for i in fresh), fresh
    assert {i["product"]["title"] for i in fresh} <= {"Trail Jacket", "Alpine Merino Socks", "Camp Stove Pro",
                                                      "Enamel Camp Mug", "Boot Wax"}

    due = await _recommend(client, rep, regular)
    wax_item = next(i for i in due if i["product"]["title"] == "Boot Wax")
    assert wax_item["reasons"][0] == (f"bought Boot Wax on {_day(utcnow() - timedelta(days=120))}; "
                                      "usually reordered every 90 days")
    assert "Camp Stove Pro" not in [i["product"]["title"] for i in due]  # durable: never again
    assert "Boot Wax" not in [i["product"]["title"] for i in await _recommend(client, rep, recent, limit=50)]


def _day(at) -> str:
    return f"{at.day} {at:%b}"


async def test_recommendations_follow_the_contacts_visibility(client, db):
    owner, other = await make_user(db), await make_user(db)
    manager = await make_user(db, role=Role.manager)
    await _catalogue(db)
    contact = await make_contact(db, owner=owner)
    url = f"/api/v1/contacts/{contact.id}/recommendations"
    assert (await client.get(url, headers=auth_headers(owner))).status_code == 200
    assert (await client.get(url, headers=auth_headers(manager))).status_code == 200
    hidden = await client.get(url, headers=auth_headers(other))
    assert hidden.status_code == 404 and hidden.headers["content-type"].startswith("application/problem+json")


async def test_a_burst_of_changes_is_one_recomputation(db):
    rep = await make_user(db)
    contact = await make_contact(db, owner=rep)
    for _ in range(3):  # three changes committed before the job runs
        db.add(ProfileRequest(contact_id=contact.id))
    await db.flush()
    assert await profile_service.refresh(db, contact_id=contact.id) is True
    assert await profile_service.refresh(db, contact_id=contact.id) is False  # the burst's other jobs
    assert await db.scalar(select(ProfileRequest).where(ProfileRequest.contact_id == contact.id)) is None


async def test_a_new_message_about_a_product_changes_the_next_ranking(committed_db, committed_client, celery_worker):
    rep = await make_user(committed_db)
    p = await _catalogue(committed_db)
    await _similar_customers(committed_db, rep, p)
    buyer = await make_contact(committed_db, owner=rep, first_name="Ann")
    buyer.emails = ["ann@customer.example"]  # the sender of tests.channel.factories.mailgun_form
    await _bought(committed_db, rep, buyer, p["jacket"])
    channel = await make_mail_channel(committed_db)
    contacts = await _contacts(committed_db, rep)
    await _refresh(committed_db, *contacts)
    contact_ids, product_ids, channel_id = [c.id for c in contacts], [x.id for x in p.values()], channel.id
    await commit(committed_db)
    try:
        before = await _recommend(committed_client, rep, buyer)
        assert before[0]["product"]["title"] == "Alpine Merino Socks"

        body, headers = form_body(mailgun_form(subject="Stove", text="Hi! Is the Camp Stove Pro good for winter?"))
        response = await committed_client.post(f"/webhook/email/{channel_id}", content=body, headers=headers)
        assert response.status_code == 200, response.text

        async def reranked():
            items = await _recommend(committed_client, rep, buyer)
            return items if items[0]["product"]["title"] == "Camp Stove Pro" else None

        try:
            after = await eventually(reranked, within=600, interval=0.3)
        except AssertionError:
            raise AssertionError(celery_worker.output()[-4000:]) from None
        assert after[0]["reasons"][0] == f"asked about Camp Stove Pro on {_day(utcnow())}"
    finally:
        await _clean(committed_db, contact_ids, product_ids, channel_id)


async def _clean(db, contact_ids, product_ids, channel_id) -> None:
    """What the worker and the API wrote beside the rows committed_db tracks (those it deletes;
    profiles, interests and popularity go with their contacts and products)."""
    await db.rollback()
    classifications = list(await db.scalars(select(Message.classification_id).where(Message.channel_id == channel_id)))
    await db.execute(delete(Classification).where(Classification.id.in_([c for c in classifications if c])))
    await db.execute(delete(Embedding).where(Embedding.entity_id.in_(product_ids)))
    await db.execute(delete(SearchDocument).where(SearchDocument.entity_id.in_(product_ids)))
    await db.execute(delete(ProfileRequest).where(ProfileRequest.contact_id.in_(contact_ids)))
    await db.commit()
