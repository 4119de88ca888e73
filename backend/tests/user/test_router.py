import pytest

from mancrel.core.permissions import Role
from tests.factories import auth_headers, make_user


@pytest.fixture
async def admin(db):
    return await make_user(db, role=Role.admin)


async def test_admin_creates_lists_reads_and_updates_users(client, db, admin):
    headers = auth_headers(admin)
    created = await client.post("/api/v1/users", headers=headers, json={
        "email": " New.Rep@Example.com ", "password": "a-long-password", "full_name": "New Rep", "role": "rep"})
    assert created.status_code == 201
    user = created.json()
    assert user["email"] == "new.rep@example.com"
    assert "password" not in user and "password_hash" not in user

    listed = await client.get("/api/v1/users", headers=headers)
    assert user["id"] in [u["id"] for u in listed.json()["items"]]
    fetched = await client.get(f"/api/v1/users/{user['id']}", headers=headers)
    assert fetched.json()["full_name"] == "New Rep"

    patched = await client.patch(f"/api/v1/users/{user['id']}", headers=headers,
                                 json={"role": "manager", "full_name": "Now Manager", "password": "another-password"})
    assert patched.status_code == 200
    assert patched.json()["role"] == "manager"
    login = await client.post("/api/v1/auth/login", json={"email": "new.rep@example.com",
                                                          "password": "another-password"})
    assert login.status_code == 200


async def test_user_list_pages_with_a_cursor(client, db, admin):
    for _ in range(4):
        await make_user(db)
    headers = auth_headers(admin)
    first = (await client.get("/api/v1/users?limit=3", headers=headers)).json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    second = (await client.get(f"/api/v1/users?limit=3&cursor={first['next_cursor']}", headers=headers)).json()
    seen = [u["id"] for u in first["items"] + second["items"]]
    assert len(seen) == len(set(seen)) == 5
    assert second["next_cursor"] is None
    broken = await client.get("/api/v1/users?cursor=garbage", headers=headers)
    assert broken.status_code == 422


@pytest.mark.parametrize("role", [Role.manager, Role.rep])
async def test_only_admins_manage_users(client, db, admin, role):
    caller = await make_user(db, role=role)
    headers = auth_headers(caller)
    assert (await client.get("/api/v1/users", headers=headers)).status_code == 403
    assert (await client.get(f"/api/v1/users/{admin.id}", headers=headers)).status_code == 403
    assert (await client.patch(f"/api/v1/users/{caller.id}", json={"role": "admin"},
                               headers=headers)).status_code == 403
    created = await client.post("/api/v1/users", headers=headers,
                                json={"email": "x@example.com", "password": "a-long-password"})
    assert created.status_code == 403
    assert created.headers["content-type"] == "application/problem+json"
    # Everyone may see the directory of colleagues to pick owners.
    directory = await client.get("/api/v1/users/directory", headers=headers)
    assert directory.status_code == 200
    assert str(admin.id) in [u["id"] for u in directory.json()]


async def test_duplicate_email_is_a_conflict_and_changes_nothing(client, db, admin):
    await make_user(db, email="taken@example.com")
    headers = auth_headers(admin)
    response = await client.post("/api/v1/users", headers=headers,
                                 json={"email": "TAKEN@example.com", "password": "a-long-password"})
    assert response.status_code == 409
    assert response.json()["title"] == "Email already in use"


async def test_invalid_input_names_each_field(client, db, admin):
    response = await client.post("/api/v1/users", headers=auth_headers(admin),
                                 json={"email": "not-an-email", "password": "short", "role": "overlord"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"email", "password", "role"}
    listed = (await client.get("/api/v1/users", headers=auth_headers(admin))).json()
    assert [u["email"] for u in listed["items"]] == [admin.email]


async def test_unknown_user_is_404(client, admin):
    response = await client.get("/api/v1/users/00000000-0000-0000-0000-000000000000",
                                headers=auth_headers(admin))
    assert response.status_code == 404
    assert response.json()["status"] == 404


async def test_the_last_admin_cannot_be_demoted_or_deactivated(client, admin):
    headers = auth_headers(admin)
    demoted = await client.patch(f"/api/v1/users/{admin.id}", json={"role": "rep"}, headers=headers)
    assert demoted.status_code == 409
    deactivated = await client.patch(f"/api/v1/users/{admin.id}", json={"is_active": False}, headers=headers)
    assert deactivated.status_code == 409
    assert (await client.get("/api/v1/users/me", headers=headers)).json()["role"] == "admin"
