import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from mancrel.core.permissions import Role
from tests.factories import auth_headers, make_user


async def test_user_management_is_audited_and_admins_read_it(client, db):
    admin = await make_user(db, role=Role.admin)
    headers = auth_headers(admin)
    created = (await client.post("/api/v1/users", headers=headers, json={
        "email": "audited@example.com", "password": "a-long-password", "role": "rep"})).json()
    await client.patch(f"/api/v1/users/{created['id']}", headers=headers,
                       json={"role": "manager", "password": "a-new-long-password"})

    page = (await client.get(f"/api/v1/audit?entity_type=user&entity_id={created['id']}", headers=headers)).json()
    actions = [entry["action"] for entry in page["items"]]
    assert actions == ["user.updated", "user.created"]  # newest first
    update, create = page["items"]
    assert update["actor_email"] == admin.email
    assert update["before"] == {"role": "rep"}
    assert update["after"] == {"role": "manager", "password": "changed"}
    assert update["request_id"]
    assert "password_hash" not in create["after"]


@pytest.mark.parametrize("role", [Role.manager, Role.rep])
async def test_only_admins_read_the_audit_log(client, db, role):
    user = await make_user(db, role=role)
    assert (await client.get("/api/v1/audit", headers=auth_headers(user))).status_code == 403


async def test_audit_entries_cannot_be_edited_or_deleted(client, db):
    admin = await make_user(db, role=Role.admin)
    await client.post("/api/v1/users", headers=auth_headers(admin),
                      json={"email": "x1@example.com", "password": "a-long-password"})
    for statement in ("UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.begin_nested():
                await db.execute(text(statement))
