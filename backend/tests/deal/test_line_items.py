"""Deal line items: products on a deal, their totals, the deal amount they can drive, and the
deal's visibility rules applied to them."""

import pytest
from sqlalchemy import select

from mancrel.core.permissions import Role
from mancrel.insights.profile_models import ProfileRequest
from tests.deal.factories import make_contact, make_deal
from tests.factories import auth_headers, make_user
from tests.reply.factories import make_product


def _url(deal) -> str:
    return f"/api/v1/deals/{deal.id}/line-items"


async def test_a_product_line_copies_the_catalogue_and_totals_with_its_discount(client, db):
    rep = await make_user(db)
    jacket = await make_product(db, title="Trail Jacket", sku="JKT-TRAIL-M", price="149.90")
    deal = await make_deal(db, actor=rep)
    headers = auth_headers(rep)

    added = await client.post(_url(deal), headers=headers,
                              json={"product_id": str(jacket.id), "quantity": 3, "discount_percent": "10"})
    assert added.status_code == 201, added.text
    item = added.json()
    # 3 x 149.90 = 449.70, less 10% = 404.73
    assert (item["title"], item["sku"], item["unit_price"], item["currency"], item["line_total"]) == (
        "Trail Jacket", "JKT-TRAIL-M", "149.90", "EUR", "404.73")
    await client.post(_url(deal), headers=headers, json={"title": "Fitting service", "unit_price": "20.00"})

    listed = (await client.get(_url(deal), headers=headers)).json()
    assert [i["title"] for i in listed["items"]] == ["Trail Jacket", "Fitting service"]
    assert (listed["total"], listed["amount_from_line_items"]) == ("424.73", False)
    # Without the option, the typed-in amount stays what the rep typed.
    assert (await client.get(f"/api/v1/deals/{deal.id}", headers=headers)).json()["amount"] == "1000.00"


async def test_with_the_option_on_the_line_items_drive_the_deal_amount(client, db):
    rep = await make_user(db)
    socks = await make_product(db, title="Merino Socks", sku="SOCK-1", price="18.00")
    deal = await make_deal(db, actor=rep, amount="500.00")
    headers = auth_headers(rep)
    item = (await client.post(_url(deal), headers=headers, json={"product_id": str(socks.id), "quantity": 2})).json()

    turned_on = await client.patch(f"/api/v1/deals/{deal.id}", headers=headers, json={"amount_from_line_items": True})
    assert turned_on.status_code == 200, turned_on.text
    assert turned_on.json()["amount"] == "36.00"

    await client.patch(f"{_url(deal)}/{item['id']}", headers=headers, json={"quantity": 5})
    assert (await client.get(f"/api/v1/deals/{deal.id}", headers=headers)).json()["amount"] == "90.00"
    await client.delete(f"{_url(deal)}/{item['id']}", headers=headers)
    assert (await client.get(f"/api/v1/deals/{deal.id}", headers=headers)).json()["amount"] == "0.00"

    typed = await client.patch(f"/api/v1/deals/{deal.id}", headers=headers, json={"amount": "99.00"})
    assert typed.status_code == 422
    assert typed.headers["content-type"].startswith("application/problem+json")


async def test_bad_lines_are_refused_and_write_nothing(client, db):
    rep = await make_user(db)
    dollars = await make_product(db, title="Import Boots", price="80.00", currency="USD")
    deal = await make_deal(db, actor=rep)
    headers = auth_headers(rep)
    for body in ({"product_id": str(dollars.id)},                      # catalogue price in another currency
                 {"title": "Gift wrap", "unit_price": "3.00", "currency": "USD"},
                 {"title": "No price"},
                 {"title": "Too much off", "unit_price": "3.00", "discount_percent": "120"},
                 {"title": "Nothing", "unit_price": "3.00", "quantity": 0}):
        response = await client.post(_url(deal), headers=headers, json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(_url(deal), headers=headers)).json()["items"] == []
    # With a price in the deal's currency, the same product is fine.
    priced = await client.post(_url(deal), headers=headers, json={"product_id": str(dollars.id), "unit_price": "75"})
    assert priced.status_code == 201 and priced.json()["line_total"] == "75.00"


async def test_a_line_item_change_asks_for_the_contacts_profile_refresh(client, db):
    rep = await make_user(db)
    contact = await make_contact(db, owner=rep)
    deal = await make_deal(db, actor=rep, contact_id=contact.id)
    before = len(list(await db.scalars(select(ProfileRequest).where(ProfileRequest.contact_id == contact.id))))
    response = await client.post(_url(deal), headers=auth_headers(rep), json={"title": "Socks", "unit_price": "5"})
    assert response.status_code == 201
    after = list(await db.scalars(select(ProfileRequest).where(ProfileRequest.contact_id == contact.id)))
    assert len(after) == before + 1


@pytest.mark.parametrize("role,ownership,status", [
    (Role.rep, "own", 200), (Role.rep, "unassigned", 200), (Role.rep, "other", 404),
    (Role.manager, "other", 200), (Role.admin, "other", 200)])
async def test_line_items_follow_the_deals_visibility(client, db, role, ownership, status):
    caller, other = await make_user(db, role=role), await make_user(db)
    owner = {"own": caller, "other": other, "unassigned": None}[ownership]
    deal = await make_deal(db, actor=await make_user(db, role=Role.manager), owner=owner)
    own_headers = auth_headers(await make_user(db, role=Role.admin))
    item = (await client.post(_url(deal), headers=own_headers, json={"title": "Tent", "unit_price": "300"})).json()
    headers = auth_headers(caller)
    calls = [(client.get(_url(deal), headers=headers), status),
             (client.get(f"{_url(deal)}/{item['id']}", headers=headers), status),
             (client.patch(f"{_url(deal)}/{item['id']}", headers=headers, json={"quantity": 2}), status),
             (client.post(_url(deal), headers=headers, json={"title": "Pegs", "unit_price": "9"}),
              201 if status == 200 else 404),
             (client.delete(f"{_url(deal)}/{item['id']}", headers=headers), 204 if status == 200 else 404)]
    for call, expected in calls:
        response = await call
        assert response.status_code == expected, response.text


async def test_an_item_of_another_deal_is_not_found_through_this_one(client, db):
    rep = await make_user(db)
    first, second = await make_deal(db, actor=rep), await make_deal(db, actor=rep)
    headers = auth_headers(rep)
    item = (await client.post(_url(first), headers=headers, json={"title": "Tent", "unit_price": "300"})).json()
    assert (await client.get(f"{_url(second)}/{item['id']}", headers=headers)).status_code == 404
    assert (await client.delete(f"{_url(second)}/{item['id']}", headers=headers)).status_code == 404
