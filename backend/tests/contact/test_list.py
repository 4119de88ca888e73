import csv
import io
from datetime import timedelta

from mancrel.contact.models import Contact
from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from tests.contact.factories import make_company, make_contact, quick_user
from tests.factories import auth_headers


async def _ids(client, user, query=""):
    response = await client.get(f"/api/v1/contacts{query}", headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["items"]]


async def test_cursor_pages_cover_every_visible_contact_once(client, db):
    rep = await quick_user(db)
    made = [await make_contact(db, actor=rep) for _ in range(7)]
    seen, cursor = [], None
    while True:
        query = "?limit=3&sort=created_at" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(f"/api/v1/contacts{query}", headers=auth_headers(rep))).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(c.id) for c in made]


async def test_sort_by_last_name_both_ways(client, db):
    rep = await quick_user(db)
    for name in ("Young", "Adams", "Mills"):
        await make_contact(db, actor=rep, last_name=name)
    ascending = (await client.get("/api/v1/contacts?sort=last_name", headers=auth_headers(rep))).json()["items"]
    assert [c["last_name"] for c in ascending] == ["Adams", "Mills", "Young"]
    descending = (await client.get("/api/v1/contacts?sort=-last_name", headers=auth_headers(rep))).json()["items"]
    assert [c["last_name"] for c in descending] == ["Young", "Mills", "Adams"]
    bad = await client.get("/api/v1/contacts?sort=password", headers=auth_headers(rep))
    assert bad.status_code == 422


async def test_q_searches_names_emails_phones_and_company(client, db):
    rep = await quick_user(db)
    acme = await make_company(db, actor=rep, name="Acme Rockets")
    by_name = await make_contact(db, actor=rep, first_name="Zelda", last_name="Fitz")
    by_email = await make_contact(db, actor=rep, emails=["orders@bakery.example"])
    by_phone = await make_contact(db, actor=rep, phones=["+44 20 7946 0958"])
    by_company = await make_contact(db, actor=rep, company_id=acme.id)
    assert await _ids(client, rep, "?q=zeld") == [str(by_name.id)]
    assert await _ids(client, rep, "?q=BAKERY") == [str(by_email.id)]
    assert await _ids(client, rep, "?q=Orders@Bakery.example") == [str(by_email.id)]
    assert await _ids(client, rep, "?q=%2B44 20 7946 0958") == [str(by_phone.id)]
    assert await _ids(client, rep, "?q=7946") == [str(by_phone.id)]
    assert await _ids(client, rep, "?q=rockets") == [str(by_company.id)]
    assert await _ids(client, rep, "?q=100%25") == []  # a literal %, not a wildcard


async def test_filters_owner_tag_lifecycle_company_and_dates(client, db):
    manager, rep = await quick_user(db, role=Role.manager), await quick_user(db)
    company = await make_company(db, actor=manager)
    tagged = await make_contact(db, actor=manager, owner=rep, tags=["vip"], lifecycle_stage="customer",
                                company_id=company.id)
    other = await make_contact(db, actor=manager)
    old = await make_contact(db, actor=manager, owner=None)
    old.created_at = utcnow() - timedelta(days=30)
    await db.flush()
    assert await _ids(client, manager, f"?owner_id={rep.id}") == [str(tagged.id)]
    assert await _ids(client, manager, "?tag=vip") == [str(tagged.id)]
    assert await _ids(client, manager, "?lifecycle_stage=customer") == [str(tagged.id)]
    assert await _ids(client, manager, f"?company_id={company.id}") == [str(tagged.id)]
    assert await _ids(client, manager, "?unassigned=true") == [str(old.id)]
    cutoff = (utcnow() - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert set(await _ids(client, manager, f"?created_before={cutoff}")) == {str(old.id)}
    assert str(old.id) not in await _ids(client, manager, f"?created_after={cutoff}")
    assert str(other.id) in await _ids(client, manager, f"?created_after={cutoff}")


async def test_rep_list_shows_own_and_unassigned_only(client, db):
    rep, other = await quick_user(db), await quick_user(db)
    own = await make_contact(db, actor=rep)
    unassigned = await make_contact(db, actor=rep, owner=None)
    await make_contact(db, actor=other)
    assert set(await _ids(client, rep)) == {str(own.id), str(unassigned.id)}


async def test_bad_cursor_is_422(client, db):
    rep = await quick_user(db)
    response = await client.get("/api/v1/contacts?cursor=garbage", headers=auth_headers(rep))
    assert response.status_code == 422


async def test_export_streams_visible_filtered_rows_with_formulas_neutralised(client, db):
    rep, other = await quick_user(db), await quick_user(db)
    acme = await make_company(db, actor=rep, name="=HYPERLINK(\"http://evil\")")
    await make_contact(db, actor=rep, first_name="=1+1", last_name="Formula", company_id=acme.id, tags=["x"])
    await make_contact(db, actor=rep, first_name="Plain", last_name="Person")
    await make_contact(db, actor=other, first_name="Hidden", last_name="Person")
    response = await client.get("/api/v1/contacts/export.csv?sort=last_name", headers=auth_headers(rep))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [r["last_name"] for r in rows] == ["Formula", "Person"]
    assert rows[0]["first_name"] == "'=1+1"
    assert rows[0]["company_name"].startswith("'=HYPERLINK")
    filtered = await client.get("/api/v1/contacts/export.csv?q=plain", headers=auth_headers(rep))
    assert [r["first_name"] for r in csv.DictReader(io.StringIO(filtered.text.lstrip("\ufeff")))] == ["Plain"]


async def test_export_with_unknown_custom_field_filter_is_422(client, db):
    rep = await quick_user(db)
    response = await client.get("/api/v1/contacts/export.csv?cf.nope=1", headers=auth_headers(rep))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "custom_fields.nope"


async def test_trigram_index_serves_q(db):
    # Not a timing: the plan shows the search uses the trigram index when scans are dear.
    from sqlalchemy import select, text
    from sqlalchemy.dialects import postgresql

    from mancrel.contact.repository import search_clause
    await db.execute(text("SET LOCAL enable_seqscan = off"))
    stmt = select(Contact.id).where(search_clause("zelda"))
    sql = str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    plan = "\n".join(r[0] for r in await db.execute(text("EXPLAIN " + sql)))
    assert "ix_contacts_search_trgm" in plan, plan
    assert "ix_contacts_company_id" in plan, plan
