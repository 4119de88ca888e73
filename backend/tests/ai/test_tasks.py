"""The embedding tasks against real catalogue products and CRM contacts."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from mancrel.ai import repository
from mancrel.ai.tasks import embed_contact, embed_product
from mancrel.catalog import service as catalog_service
from mancrel.catalog.normalise import NormalisedProduct, NormalisedVariant
from mancrel.contact import service as contact_service
from mancrel.core.permissions import Role
from mancrel.worker.models import OutboxMessage
from tests.catalog.factories import make_source
from tests.contact.factories import make_contact
from tests.factories import auth_headers, make_user


def _product(external_id: str, title: str, description: str, *, deleted: bool = False, hour: int = 10,
             sku: str = "SKU-1") -> NormalisedProduct:
    return NormalisedProduct(
        external_id=external_id, source_updated_at=datetime(2026, 11, 27, hour, tzinfo=UTC), deleted=deleted,
        title=title, description=description, vendor="Alpine Loom", product_type="Outdoor",
        variants=[NormalisedVariant(external_id=f"{external_id}-v", price=Decimal("18.00"), currency="EUR",
                                    sku=sku, title="M")])


async def _apply(db, source, *products: NormalisedProduct):
    written = await catalog_service.apply_products(db, source_id=source.id, products=list(products))
    return {ext: product_id for ext, (product_id, _) in written.items()}


async def test_synced_products_become_searchable_and_tombstones_leave_search(client, db):
    rep = await make_user(db, role=Role.rep)
    source = await make_source(db)
    ids = await _apply(db, source,
                       _product("p1", "Merino Hiking Socks", "<p>Cushioned <b>merino wool</b> socks</p>", sku="SOCK-1"),
                       _product("p2", "Enamel Camp Mug", "A 350 ml enamel mug", sku="MUG-1"))
    queued = set(await db.scalars(select(OutboxMessage.task_name).where(OutboxMessage.task_name.like("ai.%"))))
    assert queued == {"ai.embed_product"}  # the catalogue asks for it on every upsert
    for product_id in ids.values():
        assert await embed_product.run_async(db, product_id=product_id) is True

    found = (await client.get("/api/v1/search", params={"q": "something warm for my feet when trekking",
                                                       "types": "product"}, headers=auth_headers(rep))).json()
    assert found["items"][0]["id"] == str(ids["p1"])
    assert "18.00 EUR" in found["items"][0]["snippet"] and "<b>" not in found["items"][0]["snippet"]
    by_sku = (await client.get("/api/v1/search", params={"q": "MUG-1", "types": "product"},
                               headers=auth_headers(rep))).json()
    assert by_sku["items"][0]["id"] == str(ids["p2"])

    await _apply(db, source, _product("p1", "Merino Hiking Socks", "", deleted=True, hour=11))
    # Gone from search in the transaction that tombstones it, before any job runs.
    found = (await client.get("/api/v1/search", params={"q": "merino hiking socks", "types": "product"},
                              headers=auth_headers(rep))).json()
    assert str(ids["p1"]) not in {i["id"] for i in found["items"]}
    assert await repository.get_document(db, "product", ids["p1"]) is None
    assert await repository.get_embedding(db, "product", ids["p1"]) is None
    assert await embed_product.run_async(db, product_id=ids["p1"]) is False  # a late job changes nothing


async def test_contacts_are_indexed_with_their_owner_and_removed_when_deleted(client, db):
    rep, other = await make_user(db, role=Role.rep), await make_user(db, role=Role.rep)
    mine = await make_contact(db, actor=rep, first_name="Greta", last_name="Lindqvist", emails=["greta@fjall.se"])
    theirs = await make_contact(db, actor=other, first_name="Greta", last_name="Lindgren", emails=["gl@x.se"])
    for contact in (mine, theirs):
        assert await embed_contact.run_async(db, contact_id=contact.id) is True
    doc = await repository.get_document(db, "contact", mine.id)
    assert doc.owner_id == rep.id and "greta@fjall.se" in doc.snippet

    items = (await client.get("/api/v1/search", params={"q": "Greta", "types": "contact"},
                              headers=auth_headers(rep))).json()["items"]
    assert [i["id"] for i in items] == [str(mine.id)]

    await contact_service.delete(db, contact=mine, actor=rep)
    assert await embed_contact.run_async(db, contact_id=mine.id) is False
    items = (await client.get("/api/v1/search", params={"q": "Greta", "types": "contact"},
                              headers=auth_headers(rep))).json()["items"]
    assert items == []
