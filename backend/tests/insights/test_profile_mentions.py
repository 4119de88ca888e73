"""What a customer talked about, for recommendations: a product named loosely ("the timber sleepingbag")
counts as interest when the mention fits that product alone; one that fits several counts for none."""

from sqlalchemy import select

from mancrel.insights import profile_service
from mancrel.insights.profile_models import ContactProductInterest
from tests.catalog.factories import make_source
from tests.deal.factories import make_contact
from tests.factories import make_user
from tests.inbox.factories import inbound, make_channel, receive
from tests.reply.factories import make_product

TITLES = ("Timber Sleeping Bag", "Alpine Merino Liner Socks", "Alpine Merino Hiking Socks", "Falcon Cork Yoga Mat")


async def _shop(db) -> dict:
    source = await make_source(db)
    return {t: await make_product(db, title=t, sku=f"SKU-{n}", source=source) for n, t in enumerate(TITLES)}


async def test_a_single_loose_mention_counts_and_an_ambiguous_one_does_not(db):
    shop = await _shop(db)
    assert await profile_service.mentioned_products(db, "do you still have the timber sleepingbag?") == [
        shop["Timber Sleeping Bag"].id]
    assert await profile_service.mentioned_products(db, "are the alpine merino socks warm?") == []
    assert await profile_service.mentioned_products(db, "SKU-3, and the alpine merino hikng socks") == [
        shop["Falcon Cork Yoga Mat"].id, shop["Alpine Merino Hiking Socks"].id]


async def test_a_loosely_named_product_becomes_an_interest_of_the_contact(db):
    rep = await make_user(db)
    shop = await _shop(db)
    contact = await make_contact(db, owner=rep)
    contact.emails = ["mia@customer.example"]
    await db.flush()
    channel = await make_channel(db, owner=rep)
    await receive(db, channel, inbound("mia@customer.example", text="Is your falcon cork mat slippery when wet?"))
    await profile_service.refresh(db, contact_id=contact.id, force=True)
    interests = list(await db.scalars(select(ContactProductInterest.product_id).where(
        ContactProductInterest.contact_id == contact.id)))
    assert interests == [shop["Falcon Cork Yoga Mat"].id]
