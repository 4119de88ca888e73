"""New passwords are refused when they are among an attacker's first guesses, not only when short."""

import pytest

from mancrel.auth.passwords import common_passwords, weakness
from mancrel.core.permissions import Role
from tests.auth.helpers import sign_in
from tests.factories import DEFAULT_PASSWORD, auth_headers, make_user


@pytest.mark.parametrize("password", [
    "password123", "Password2024!", "P@ssw0rd2024", "qwertyuiop", "1234567890", "iloveyou2024",
    "Sunshine2024!", "letmein-letmein", "dragon_dragon", "aaaaaaaaaaaa", "abababab12", "Welcome123!",
])
async def test_common_passwords_and_their_simple_variants_are_refused(client, db, password):
    admin = await make_user(db, role=Role.admin)
    created = await client.post("/api/v1/users", headers=auth_headers(admin),
                                json={"email": "weak@example.com", "password": password})
    assert created.status_code == 422, password
    assert created.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in created.json()["errors"]] == ["password"]


async def test_a_password_made_of_the_email_address_is_refused(client, db):
    admin = await make_user(db, role=Role.admin)
    created = await client.post("/api/v1/users", headers=auth_headers(admin),
                                json={"email": "jordan.miles@example.com", "password": "Jordan.Miles-2024"})
    assert created.status_code == 422
    assert "email" in created.json()["detail"]


async def test_changing_to_a_common_password_is_refused_and_the_old_one_still_works(client, db):
    admin = await make_user(db, role=Role.admin)
    user = await make_user(db, email="keeper@example.com")
    patched = await client.patch(f"/api/v1/users/{user.id}", headers=auth_headers(admin),
                                 json={"password": "Football123!", "full_name": "Changed"})
    assert patched.status_code == 422
    assert (await sign_in(client, "keeper@example.com", DEFAULT_PASSWORD)).status_code == 200
    me = await client.get(f"/api/v1/users/{user.id}", headers=auth_headers(admin))
    assert me.json()["full_name"] != "Changed"  # a refused request writes nothing


@pytest.mark.parametrize("password", [
    "correct-horse-battery", "dragonfly-meadow-7", "Tr0ub4dor&3xyz", "839204718263", "mancrel-demo-2026"])
def test_uncommon_passwords_pass(password):
    assert weakness(password, email="someone@example.com") is None


def test_the_shipped_list_has_thousands_of_entries():
    passwords = common_passwords()
    assert len(passwords) > 3000
    assert {"123456", "password", "qwerty", "iloveyou", "1q2w3e4r"} <= passwords
