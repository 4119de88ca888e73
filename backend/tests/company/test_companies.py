import csv
import io

from sqlalchemy import select

from mancrel.audit.models import AuditEntry
from mancrel.core.permissions import Role
from tests.contact.factories import make_company, quick_user
from tests.factories import auth_headers


async def test_create_normalises_domain_and_refuses_a_taken_one(client, db):
    rep = await quick_user(db)
    response = await client.post("/api/v1/companies", headers=auth_headers(rep), json={
        "name": "Acme", "domain": "https://www.ACME.example/about", "industry": "Tools", "tags": ["b2b"]})
    assert response.status_code == 201, response.text
    assert response.json()["domain"] == "acme.example"
    assert response.headers["etag"] == '"1"'
    taken = await client.post("/api/v1/companies", headers=auth_headers(rep),
                              json={"name": "Acme 2", "domain": "acme.example"})
    assert taken.status_code == 409
    assert taken.json()["existing_id"] == response.json()["id"]
    bad = await client.post("/api/v1/companies", headers=auth_headers(rep), json={"name": "X", "domain": "nope"})
    assert bad.status_code == 422


async def test_update_with_if_match_and_audit(client, db):
    rep = await quick_user(db)
    company = await make_company(db, actor=rep, name="Old name")
    url = f"/api/v1/companies/{company.id}"
    ok = await client.patch(url, headers={**auth_headers(rep), "If-Match": '"1"'}, json={"name": "New name"})
    assert ok.status_code == 200 and ok.headers["etag"] == '"2"'
    stale = await client.patch(url, headers={**auth_headers(rep), "If-Match": '"1"'}, json={"name": "Lost"})
    assert stale.status_code == 412
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.entity_id == str(company.id),
                                                     AuditEntry.action == "company.updated"))
    assert entry.before == {"name": "Old name"} and entry.after == {"name": "New name"}


async def test_domain_of_a_deleted_company_is_free_but_blocks_its_restore(client, db):
    rep, manager = await quick_user(db), await quick_user(db, role=Role.manager)
    old = await make_company(db, actor=rep, domain="shop.example")
    assert (await client.delete(f"/api/v1/companies/{old.id}", headers=auth_headers(rep))).status_code == 204
    new = await client.post("/api/v1/companies", headers=auth_headers(rep),
                            json={"name": "New", "domain": "shop.example"})
    assert new.status_code == 201
    blocked = await client.post(f"/api/v1/companies/{old.id}/restore", headers=auth_headers(manager))
    assert blocked.status_code == 409
    await client.delete(f"/api/v1/companies/{new.json()['id']}", headers=auth_headers(manager))
    restored = await client.post(f"/api/v1/companies/{old.id}/restore", headers=auth_headers(manager))
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None


async def test_list_search_sort_and_pages(client, db):
    rep = await quick_user(db)
    for name in ("Cobalt Ltd", "Amber GmbH", "Birch Inc"):
        await make_company(db, actor=rep, name=name)
    page = (await client.get("/api/v1/companies?sort=name&limit=2", headers=auth_headers(rep))).json()
    assert [c["name"] for c in page["items"]] == ["Amber GmbH", "Birch Inc"]
    rest = (await client.get(f"/api/v1/companies?sort=name&limit=2&cursor={page['next_cursor']}",
                             headers=auth_headers(rep))).json()
    assert [c["name"] for c in rest["items"]] == ["Cobalt Ltd"] and rest["next_cursor"] is None
    found = (await client.get("/api/v1/companies?q=gmbh", headers=auth_headers(rep))).json()["items"]
    assert [c["name"] for c in found] == ["Amber GmbH"]


async def test_export_respects_visibility_and_neutralises_formulas(client, db):
    rep, other = await quick_user(db), await quick_user(db)
    await make_company(db, actor=rep, name="+cmd|calc", industry="-2")
    await make_company(db, actor=other, name="Hidden Co")
    response = await client.get("/api/v1/companies/export.csv", headers=auth_headers(rep))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [r["name"] for r in rows] == ["'+cmd|calc"]
    assert rows[0]["industry"] == "'-2"
