from mancrel.core.permissions import Role
from tests.contact.factories import make_contact, quick_user
from tests.factories import auth_headers


async def _define(client, admin, **fields):
    body = {"object_type": "contact", "label": fields.get("key", "f").title(), **fields}
    response = await client.post("/api/v1/custom-fields", headers=auth_headers(admin), json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_only_admins_define_fields_and_everyone_reads_them(client, db):
    admin, manager, rep = [await quick_user(db, role=r) for r in (Role.admin, Role.manager, Role.rep)]
    for user in (manager, rep):
        response = await client.post("/api/v1/custom-fields", headers=auth_headers(user), json={
            "object_type": "contact", "key": "size", "label": "Size", "field_type": "number"})
        assert response.status_code == 403
    field = await _define(client, admin, key="shoe_size", field_type="number")
    listed = await client.get("/api/v1/custom-fields?object_type=contact", headers=auth_headers(rep))
    assert [f["key"] for f in listed.json()["items"]] == ["shoe_size"]
    assert (await client.get(f"/api/v1/custom-fields/{field['id']}", headers=auth_headers(rep))).status_code == 200
    taken = await client.post("/api/v1/custom-fields", headers=auth_headers(admin), json={
        "object_type": "contact", "key": "shoe_size", "label": "Again", "field_type": "text"})
    assert taken.status_code == 409


async def test_select_needs_options_and_keys_are_slugs(client, db):
    admin = await quick_user(db, role=Role.admin)
    for body in ({"key": "tier", "field_type": "select"}, {"key": "Bad Key", "field_type": "text"},
                 {"key": "t", "field_type": "text", "options": ["a"]}):
        response = await client.post("/api/v1/custom-fields", headers=auth_headers(admin),
                                     json={"object_type": "contact", "label": "X", **body})
        assert response.status_code == 422


async def test_values_are_validated_and_typed_on_write(client, db):
    admin, rep = await quick_user(db, role=Role.admin), await quick_user(db)
    await _define(client, admin, key="budget", field_type="number")
    await _define(client, admin, key="tier", field_type="select", options=["gold", "silver"])
    await _define(client, admin, key="since", field_type="date")
    await _define(client, admin, key="newsletter", field_type="boolean")
    ok = await client.post("/api/v1/contacts", headers=auth_headers(rep), json={
        "first_name": "A", "custom_fields": {"budget": "1500", "tier": "gold", "since": "2025-03-01",
                                             "newsletter": True}})
    assert ok.status_code == 201, ok.text
    assert ok.json()["custom_fields"] == {"budget": 1500, "tier": "gold", "since": "2025-03-01", "newsletter": True}
    for bad in ({"budget": "lots"}, {"tier": "bronze"}, {"since": "yesterday"}, {"newsletter": "maybe"},
                {"unknown": 1}):
        response = await client.post("/api/v1/contacts", headers=auth_headers(rep),
                                     json={"first_name": "B", "custom_fields": bad})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == f"custom_fields.{next(iter(bad))}"


async def test_required_field_and_partial_update(client, db):
    admin, rep = await quick_user(db, role=Role.admin), await quick_user(db)
    await _define(client, admin, key="region", field_type="text", required=True)
    await _define(client, admin, key="note", field_type="text")
    missing = await client.post("/api/v1/contacts", headers=auth_headers(rep), json={"first_name": "A"})
    assert missing.status_code == 422
    created = await client.post("/api/v1/contacts", headers=auth_headers(rep), json={
        "first_name": "A", "custom_fields": {"region": "North", "note": "hi"}})
    url = f"/api/v1/contacts/{created.json()['id']}"
    patched = await client.patch(url, headers=auth_headers(rep), json={"custom_fields": {"note": None}})
    assert patched.json()["custom_fields"] == {"region": "North"}
    cleared = await client.patch(url, headers=auth_headers(rep), json={"custom_fields": {"region": None}})
    assert cleared.status_code == 422


async def test_lists_filter_by_custom_values(client, db):
    admin, rep = await quick_user(db, role=Role.admin), await quick_user(db)
    await _define(client, admin, key="tier", field_type="select", options=["gold", "silver"])
    await _define(client, admin, key="budget", field_type="number")
    gold = await make_contact(db, actor=rep, custom_fields={"tier": "gold", "budget": 10})
    await make_contact(db, actor=rep, custom_fields={"tier": "silver", "budget": 10})
    response = await client.get("/api/v1/contacts?cf.tier=gold&cf.budget=10", headers=auth_headers(rep))
    assert [c["id"] for c in response.json()["items"]] == [str(gold.id)]
    bad = await client.get("/api/v1/contacts?cf.budget=ten", headers=auth_headers(rep))
    assert bad.status_code == 422


async def test_admin_updates_and_deletes_a_field(client, db):
    admin, rep = await quick_user(db, role=Role.admin), await quick_user(db)
    field = await _define(client, admin, key="tier", field_type="select", options=["gold"])
    url = f"/api/v1/custom-fields/{field['id']}"
    assert (await client.patch(url, headers=auth_headers(rep), json={"label": "x"})).status_code == 403
    patched = await client.patch(url, headers=auth_headers(admin), json={"options": ["gold", "platinum"]})
    assert patched.json()["options"] == ["gold", "platinum"]
    ok = await client.post("/api/v1/contacts", headers=auth_headers(rep),
                           json={"first_name": "P", "custom_fields": {"tier": "platinum"}})
    assert ok.status_code == 201
    assert (await client.delete(url, headers=auth_headers(rep))).status_code == 403
    assert (await client.delete(url, headers=auth_headers(admin))).status_code == 204
    assert (await client.get(url, headers=auth_headers(admin))).status_code == 404
