"""A signed-in user changes their own password (findings M12)."""

from mancrel.core.permissions import Role
from tests.factories import DEFAULT_PASSWORD, make_user

LOGIN = "/api/v1/auth/login"
PASSWORD = "/api/v1/auth/password"
NEW = "heron-lantern-gravel-42"


async def _sign_in(client, email, password=DEFAULT_PASSWORD):
    return await client.post(LOGIN, json={"email": email, "password": password})


def _bearer(pair) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def test_rep_changes_password_other_sessions_end_this_one_continues(client, db):
    await make_user(db, role=Role.rep, email="rita@example.com")
    laptop = (await _sign_in(client, "rita@example.com")).json()
    phone = (await _sign_in(client, "rita@example.com")).json()

    changed = await client.post(PASSWORD, headers=_bearer(laptop),
                                json={"current_password": DEFAULT_PASSWORD, "new_password": NEW})
    assert changed.status_code == 200
    fresh = changed.json()
    assert (await client.get("/api/v1/users/me", headers=_bearer(fresh))).status_code == 200

    assert (await _sign_in(client, "rita@example.com")).status_code == 401
    assert (await _sign_in(client, "rita@example.com", NEW)).status_code == 200
    for old in (laptop, phone):  # every earlier session, this device's too, can no longer refresh
        refused = await client.post("/api/v1/auth/refresh", json={"refresh_token": old["refresh_token"]})
        assert refused.status_code == 401
    kept = await client.post("/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]})
    assert kept.status_code == 200


async def test_wrong_current_or_weak_new_password_changes_nothing(client, db):
    await make_user(db, role=Role.rep, email="tom@example.com")
    pair = (await _sign_in(client, "tom@example.com")).json()

    wrong = await client.post(PASSWORD, headers=_bearer(pair), json={"current_password": "guess-guess-1",
                                                                     "new_password": NEW})
    assert wrong.status_code == 422 and wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["errors"][0]["field"] == "current_password"
    weak = await client.post(PASSWORD, headers=_bearer(pair), json={"current_password": DEFAULT_PASSWORD,
                                                                    "new_password": "password123"})
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
    same = await client.post(PASSWORD, headers=_bearer(pair), json={"current_password": DEFAULT_PASSWORD,
                                                                    "new_password": DEFAULT_PASSWORD})
    assert same.status_code == 422

    assert (await _sign_in(client, "tom@example.com")).status_code == 200
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})).status_code == 200
    assert (await client.post(PASSWORD, json={"current_password": DEFAULT_PASSWORD,
                                              "new_password": NEW})).status_code == 401
