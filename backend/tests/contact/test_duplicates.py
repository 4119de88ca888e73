"""Possible duplicates beyond a shared email (findings M18): the same phone, a WhatsApp id that is
someone's phone, and the same name when few people carry it or they share a company."""

import uuid

from mancrel.contact.models import Contact
from mancrel.core.permissions import Role
from tests.contact.factories import make_company, make_contact, quick_user
from tests.factories import auth_headers


def _surname() -> str:
    """A surname no other test's contact has: the name rule counts every live contact."""
    return "Becker-" + uuid.uuid4().hex[:8]


async def _pairs(client, user, **params) -> list[dict]:
    response = await client.get("/api/v1/contacts/duplicates", headers=auth_headers(user), params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _names(pair: dict) -> list[str]:
    return [f"{c['first_name']} {c['last_name']}" for c in pair["contacts"]]


async def test_same_person_by_mail_and_whatsapp_is_one_pair_by_phone(client, db):
    rep = await quick_user(db)
    surname = _surname()
    mail = await make_contact(db, actor=rep, first_name="Laura", last_name=surname, phones=["+49 151 2345 6789"])
    db.add(Contact(first_name="L.", last_name="B.", whatsapp_id="4915123456789", owner_id=rep.id))
    await db.flush()
    pairs = [p for p in await _pairs(client, rep) if p["reason"] == "phone"]
    assert [(p["value"], p["reasons"]) for p in pairs] == [("+4915123456789", ["phone"])]
    assert pairs[0]["contacts"][0]["id"] == str(mail.id)


async def test_same_name_written_differently_is_a_pair_when_few_share_it(client, db):
    rep = await quick_user(db)
    surname = _surname()
    await make_contact(db, actor=rep, first_name="Laura", last_name=f"Bücker{surname}",
                       emails=["laura.becker@web.example"])
    await make_contact(db, actor=rep, first_name=" laura ", last_name=f"BUCKER{surname.upper()}",
                       emails=["laura.becker.privat@gmx.example"])
    db.add(Contact(first_name="Laura", last_name=f"Bucker{surname}", whatsapp_id="4915199990000", owner_id=rep.id))
    await db.flush()
    pairs = [p for p in await _pairs(client, rep) if p["reason"] == "name"]
    assert len(pairs) == 2  # the oldest Laura with each of the other two
    assert all(p["reasons"] == ["name"] and p["value"] == f"Laura Bücker{surname}" for p in pairs)


async def test_many_namesakes_pair_only_at_the_same_company(client, db):
    rep = await quick_user(db)
    surname = _surname()
    shop = await make_company(db, actor=rep)
    for _ in range(4):
        await make_contact(db, actor=rep, first_name="Hannah", last_name=surname)
    await make_contact(db, actor=rep, first_name="Hannah", last_name=surname, company_id=shop.id)
    await make_contact(db, actor=rep, first_name="Hannah", last_name=surname, company_id=shop.id)
    pairs = [p for p in await _pairs(client, rep) if surname in p["value"]]
    assert len(pairs) == 1
    assert pairs[0]["reasons"] == ["name", "company"]
    assert {c["company_id"] for c in pairs[0]["contacts"]} == {str(shop.id)}


async def test_a_pair_sharing_an_email_is_not_suggested_again_by_name(client, db):
    rep = await quick_user(db)
    surname = _surname()
    await make_contact(db, actor=rep, first_name="Jonas", last_name=surname, emails=[f"{surname}@x.example"])
    db.add(Contact(first_name="Jonas", last_name=surname, emails=[f"{surname.lower()}@x.example"], owner_id=rep.id))
    await db.flush()
    pairs = [p for p in await _pairs(client, rep) if surname.lower() in p["value"].lower()]
    assert [(p["reason"], p["reasons"]) for p in pairs] == [("email", ["email", "name"])]


async def test_name_pairs_only_among_contacts_the_rep_sees_and_pages_through_every_reason(client, db):
    rep, other = await quick_user(db), await quick_user(db)
    surname = _surname()
    await make_contact(db, actor=rep, first_name="Mia", last_name=surname)
    await make_contact(db, actor=other, first_name="Mia", last_name=surname)
    assert [p for p in await _pairs(client, rep) if surname in p["value"]] == []
    assert len([p for p in await _pairs(client, other) if surname in p["value"]]) == 0

    await make_contact(db, actor=rep, first_name="Mia", last_name=surname, emails=["mia@a.example"],
                       phones=["+4930999000"])
    db.add(Contact(first_name="Mio", last_name="X", emails=["mia@a.example"], phones=["+4930999000"],
                   owner_id=rep.id))
    await db.flush()
    everything = await _pairs(client, rep)
    walked, cursor = [], None
    while True:
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/api/v1/contacts/duplicates", headers=auth_headers(rep), params=params)
        walked += response.json()["items"]
        cursor = response.json()["next_cursor"]
        if not cursor:
            break
    assert [(p["reason"], p["value"]) for p in walked] == [(p["reason"], p["value"]) for p in everything]
    assert {p["reason"] for p in everything} == {"email", "name", "phone"}


async def test_name_pair_follows_renames_deletes_and_restores(client, db):
    """The name groups come from trigger-kept keys: a rename or a delete must move them at once."""
    rep, manager = await quick_user(db), await quick_user(db, role=Role.manager)
    surname = _surname()
    await make_contact(db, actor=rep, first_name="Emil", last_name=surname)
    other = await make_contact(db, actor=rep, first_name="Emilia", last_name=surname)
    url = f"/api/v1/contacts/{other.id}"

    async def shown() -> list[list[str]]:
        return [_names(p) for p in await _pairs(client, rep) if surname in p["value"]]

    assert await shown() == []
    renamed = await client.patch(url, headers=auth_headers(rep), json={"first_name": "  ÉMIL "})
    assert renamed.status_code == 200, renamed.text
    assert await shown() == [[f"Emil {surname}", f"  ÉMIL  {surname}"]]
    assert (await client.delete(url, headers=auth_headers(rep))).status_code == 204
    assert await shown() == []
    assert (await client.post(f"{url}/restore", headers=auth_headers(manager))).status_code == 200
    assert await shown() == [[f"Emil {surname}", f"  ÉMIL  {surname}"]]
    renamed = await client.patch(url, headers=auth_headers(rep), json={"last_name": surname + "-Roth"})
    assert renamed.status_code == 200, renamed.text
    assert await shown() == []
