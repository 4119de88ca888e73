"""Each role x each record endpoint x a record that is the caller's own, another rep's, or unassigned.

Managers and admins may act on every record; reps on their own and unassigned ones, and for
another rep's record the answer is 404 (its existence is not revealed). Restoring is for
managers and admins only (403 for reps, whoever owns the record).
"""

import pytest

from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from tests.contact.factories import make_company, make_contact, quick_user
from tests.factories import auth_headers

ROLES = [Role.admin, Role.manager, Role.rep]
OWNERS = ["own", "other", "unassigned"]
ACTIONS = ["get", "patch", "delete", "restore", "merge"]
RESOURCES = ["contacts", "companies"]


def expected(role: Role, owner: str, action: str) -> int:
    success = {"get": 200, "patch": 200, "delete": 204, "restore": 200, "merge": 200}[action]
    if role in (Role.admin, Role.manager):
        return success
    if action == "restore":
        return 403
    return 404 if owner == "other" else success


async def _record(db, resource, actor, owner):
    make = make_contact if resource == "contacts" else make_company
    return await make(db, actor=actor, owner=owner)


ENDPOINTS = [(r, a) for r in RESOURCES for a in ACTIONS if not (a == "merge" and r == "companies")]


@pytest.mark.parametrize(("resource", "action"), ENDPOINTS)
@pytest.mark.parametrize("owner_kind", OWNERS)
@pytest.mark.parametrize("role", ROLES)
async def test_role_matrix(client, db, role, owner_kind, action, resource):
    admin = await quick_user(db, role=Role.admin)
    user = await quick_user(db, role=role)
    other_rep = await quick_user(db, role=Role.rep)
    owner = {"own": user, "other": other_rep, "unassigned": None}[owner_kind]
    record = await _record(db, resource, admin, owner)
    url = f"/api/v1/{resource}/{record.id}"
    headers = auth_headers(user)
    version_before = record.version + (action == "restore")  # marking it deleted bumps it once
    if action == "get":
        response = await client.get(url, headers=headers)
    elif action == "patch":
        response = await client.patch(url, headers=headers, json={"tags": ["touched"]})
    elif action == "delete":
        response = await client.delete(url, headers=headers)
    elif action == "restore":
        record.deleted_at = utcnow()
        await db.flush()
        response = await client.post(f"{url}/restore", headers=headers)
    else:
        mine = await make_contact(db, actor=user)
        response = await client.post(f"{url}/merge", headers=headers, json={"other_id": str(mine.id)})
    assert response.status_code == expected(role, owner_kind, action), response.text
    await db.refresh(record)
    # A refused request changes nothing; an allowed change bumps the version (merge: the primary).
    assert (record.version > version_before) == (response.status_code < 300 and action != "get")
    if action == "restore":
        assert (record.deleted_at is None) == (response.status_code == 200)


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ROLES)
async def test_lists_show_what_the_role_may_see(client, db, role, resource):
    admin = await quick_user(db, role=Role.admin)
    user, other_rep = await quick_user(db, role=role), await quick_user(db)
    own = await _record(db, resource, admin, user)
    unassigned = await _record(db, resource, admin, None)
    others = await _record(db, resource, admin, other_rep)
    response = await client.get(f"/api/v1/{resource}", headers=auth_headers(user))
    ids = {item["id"] for item in response.json()["items"]}
    visible = {str(own.id), str(unassigned.id)} | ({str(others.id)} if role != Role.rep else set())
    assert ids == visible


@pytest.mark.parametrize("resource", RESOURCES)
async def test_every_endpoint_needs_a_login(client, db, resource):
    for method, path in (("GET", ""), ("POST", ""), ("GET", "/export.csv"),
                         ("GET", "/00000000-0000-0000-0000-000000000000")):
        response = await client.request(method, f"/api/v1/{resource}{path}", json={})
        assert response.status_code == 401
