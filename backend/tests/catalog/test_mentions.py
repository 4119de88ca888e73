"""Products a customer's message names (catalog/mentions.py), against a real catalogue in PostgreSQL."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from mancrel.catalog import mentions
from mancrel.catalog import service as catalog_service
from mancrel.catalog.normalise import NormalisedProduct, NormalisedVariant
from tests.catalog.factories import make_source

SHOP = ("Alpine Merino Liner Socks", "Alpine Merino Hiking Socks", "Falcon Cork Yoga Mat", "Falcon Trek Backpack 35L",
        "Nordic Cast Iron Skillet", "Timber Sleeping Bag", "Timber Sleeping Bag XL", "Summit Speckled Enamel Mug",
        "Summit Thermal Socks", "Kids' Granite Fleece-Lined Dry Robe", "Heron Tent 2P", "Glacier Solar Lantern",
        "Cedar Merino Socks", "Cedar Bamboo Socks", "Cedar Thermal Socks", "Cedar Ski Socks")


async def make_shop(db, titles=SHOP, *, status: str = "active") -> dict[str, uuid.UUID]:
    source = await make_source(db)
    products = [NormalisedProduct(
        external_id=f"p-{n}", source_updated_at=datetime.now(UTC), title=title, status=status,
        variants=[NormalisedVariant(external_id=f"p-{n}-v", sku=f"SKU-{n:03d}", price=Decimal("10.00"),
                                    currency="EUR", stock=3)]) for n, title in enumerate(titles)]
    written = await catalog_service.apply_products(db, source_id=source.id, products=products)
    return {title: written[f"p-{n}"][0] for n, title in enumerate(titles)}


async def named(db, text: str) -> list[tuple[str, str, bool]]:
    return [(m.product.title, m.match, m.ambiguous) for m in await mentions.mentions(db, text)]


@pytest.mark.parametrize(("text", "title"), [
    ("do you still sell the nordik skilet?", "Nordic Cast Iron Skillet"),
    ("is your falcon cork mat ok for hot yoga?", "Falcon Cork Yoga Mat"),
    ("how warm is the timber sleepingbag XL", "Timber Sleeping Bag XL"),
    ("speckled enamel mugs from the Summit range: dishwasher safe?", "Summit Speckled Enamel Mug"),
    ("the kids granite fleece lined dry robe in L please", "Kids' Granite Fleece-Lined Dry Robe"),
    ("do the alpine merino hikng socks run small?", "Alpine Merino Hiking Socks"),
    ("is the heron tent waterproof?", "Heron Tent 2P"),
])
async def test_loose_names_typos_and_word_order_name_one_product(db, text, title):
    await make_shop(db)
    (found,) = await mentions.mentions(db, text)
    assert (found.product.title, found.match, found.ambiguous) == (title, "loose", False)
    assert 0 < found.score < 1


@pytest.mark.parametrize("text", [
    "Do you sell socks?",
    "We reached the summit, my socks were soaked.",
    "We reached the summit and my socks were soaked.",
    "I love everything from the Falcon collection!",
    "Hi Timber team, thanks for the quick delivery",
    "My sleeping bag zip is stuck, what do I do?",
    "Is the Nordic Merino Beanie itchy?",                 # a product we do not sell
    "my falcon trek backpack 45L has a torn seam",        # another size than ours
])
async def test_common_nouns_collection_words_other_senses_and_other_products_name_nothing(db, text):
    await make_shop(db)
    assert await named(db, text) == []


async def test_a_loose_mention_fitting_near_names_returns_them_all_as_ambiguous(db):
    await make_shop(db)
    assert sorted(await named(db, "alpine merino socks: do they shrink?")) == [
        ("Alpine Merino Hiking Socks", "loose", True), ("Alpine Merino Liner Socks", "loose", True)]


async def test_a_loose_mention_fitting_more_than_three_products_names_none(db):
    await make_shop(db)
    assert await named(db, "are the cedar socks warm?") == []


async def test_exact_skus_and_whole_titles_come_first_and_say_so(db):
    await make_shop(db)
    found = await named(db, "SKU-002 or the Timber Sleeping Bag XL? and the glacier solar lantren")
    assert found == [("Falcon Cork Yoga Mat", "sku", False), ("Timber Sleeping Bag XL", "name", False),
                     ("Glacier Solar Lantern", "loose", False)]


async def test_archived_products_are_never_named_and_do_not_hand_their_name_to_a_sibling(db):
    await make_shop(db)
    await make_shop(db, ("Ember Packable Rain Jacket", "Glacier Solar Lantern Pro"), status="archived")
    assert await named(db, "is the Ember Packable Rain Jacket waterproof?") == []
    assert await named(db, "is the ember packable rain jackt waterproof?") == []
    # The customer means the archived Pro, not the live lantern whose words it shares.
    assert await named(db, "is the glacier solar lantren pro waterproof?") == []
    assert await named(db, "is the glacier solar lantren waterproof?") == [("Glacier Solar Lantern", "loose", False)]
    # Even when the live title is written whole inside the archived one's.
    assert await named(db, "is the Glacier Solar Lantern Pro waterproof?") == []


async def test_a_title_written_only_inside_a_longer_one_is_not_named(db):
    await make_shop(db, ("Cedar Trail Running Shoes", "Cedar Trail Running Shoes II"))
    assert await named(db, "the Cedar Trail Running Shoes II in 45, please") == [
        ("Cedar Trail Running Shoes II", "name", False)]
    assert [t for t, _, _ in await named(db, "not the Cedar Trail Running Shoes, the Cedar Trail Running Shoes II")] \
        == ["Cedar Trail Running Shoes II", "Cedar Trail Running Shoes"]
