from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import update

from mancrel.auth.models import RefreshToken
from mancrel.core.config import get_settings
from mancrel.core.permissions import Role
from mancrel.core.security import token_digest
from tests.factories import DEFAULT_PASSWORD, auth_headers, make_user

LOGIN = "/api/v1/auth/login"


async def login(client, email, password=DEFAULT_PASSWORD):
    return await client.post(LOGIN, json={"email": email, "password": password})


async def test_login_returns_tokens_that_identify_the_user(client, db):
    user = await make_user(db, role=Role.manager, email="Manager@Example.com")
    response = await login(client, "manager@example.com")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    me = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["id"] == str(user.id)
    assert me.json()["role"] == "manager"


async def test_unknown_email_and_wrong_password_look_the_same(client, db):
    await make_user(db, email="known@example.com")
    wrong_password = await login(client, "known@example.com", "not-the-password")
    unknown_email = await login(client, "nobody@example.com", "not-the-password")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.headers["content-type"] == "application/problem+json"
    strip = lambda body: {k: v for k, v in body.items() if k != "request_id"}  # noqa: E731
    assert strip(wrong_password.json()) == strip(unknown_email.json())


async def test_success_clears_the_failure_count(client, db):
    await make_user(db, email="typo@example.com")
    for _ in range(3):
        assert (await login(client, "typo@example.com", "almost-right-password")).status_code == 401
    assert (await login(client, "typo@example.com")).status_code == 200
    for _ in range(3):
        assert (await login(client, "typo@example.com", "almost-right-password")).status_code == 401
    assert (await login(client, "typo@example.com")).status_code == 200


async def test_refresh_rotates_and_reuse_revokes_the_family(client, db):
    await make_user(db, email="rotate@example.com")
    first = (await login(client, "rotate@example.com")).json()
    second = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]

    # Later than the grace period for simultaneous refreshes (tests/auth/test_refresh_race.py).
    await db.execute(update(RefreshToken).where(RefreshToken.token_hash == token_digest(first["refresh_token"]))
                     .values(rotated_at=datetime.now(UTC) - timedelta(minutes=1)))
    replayed = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replayed.status_code == 401
    # The thief replayed the old token: the legitimate newer one is dead too.
    after_theft = await client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after_theft.status_code == 401


async def test_logout_ends_the_session(client, db):
    await make_user(db, email="bye@example.com")
    tokens = (await login(client, "bye@example.com")).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    response = await client.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]},
                                  headers=headers)
    assert response.status_code == 204
    refused = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refused.status_code == 401


async def test_requests_without_valid_token_are_refused(client, db):
    user = await make_user(db)
    assert (await client.get("/api/v1/users/me")).status_code == 401
    bad = await client.get("/api/v1/users/me", headers={"Authorization": "Bearer not-a-jwt"})
    assert bad.status_code == 401
    assert bad.headers["content-type"] == "application/problem+json"
    expired = jwt.encode({"sub": str(user.id), "type": "access", "role": "rep",
                          "exp": datetime.now(UTC) - timedelta(minutes=1)},
                         get_settings().secret_key, algorithm="HS256")
    assert (await client.get("/api/v1/users/me",
                             headers={"Authorization": f"Bearer {expired}"})).status_code == 401
    forged = jwt.encode({"sub": str(user.id), "type": "access", "role": "admin",
                         "exp": datetime.now(UTC) + timedelta(minutes=5)}, "another-key-entirely-" * 3,
                        algorithm="HS256")
    assert (await client.get("/api/v1/users/me",
                             headers={"Authorization": f"Bearer {forged}"})).status_code == 401


async def test_deactivated_users_tokens_stop_working_at_once(client, db):
    admin = await make_user(db, role=Role.admin)
    await make_user(db, email="leaving@example.com")
    tokens = (await login(client, "leaving@example.com")).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 200
    me = (await client.get("/api/v1/users/me", headers=headers)).json()

    patched = await client.patch(f"/api/v1/users/{me['id']}", json={"is_active": False},
                                 headers=auth_headers(admin))
    assert patched.status_code == 200
    assert (await client.get("/api/v1/users/me", headers=headers)).status_code == 401
    refused = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refused.status_code == 401
    assert (await login(client, "leaving@example.com")).status_code == 401


async def test_an_expired_refresh_token_is_refused(client, db):
    await make_user(db, email="stale@example.com")
    tokens = (await login(client, "stale@example.com")).json()
    await db.execute(update(RefreshToken).where(RefreshToken.token_hash == token_digest(tokens["refresh_token"]))
                     .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    refused = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refused.status_code == 401
    assert refused.json()["title"] == "Session expired"
