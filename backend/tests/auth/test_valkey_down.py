"""While Valkey is down, sign-in says so (503, Retry-After) instead of failing with a 500."""

from tests.auth.helpers import sign_in
from tests.factories import DEFAULT_PASSWORD, auth_headers, make_user


async def test_sign_in_answers_503_with_retry_after_while_valkey_is_down(client, db, valkey_control):
    user = await make_user(db, email="outage@example.com")
    valkey_control.stop()
    refused = await sign_in(client, user.email, DEFAULT_PASSWORD)
    assert refused.status_code == 503
    assert refused.headers["content-type"] == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["title"] == "Sign-in temporarily unavailable"
    # Who is signed in carries on: requests with a token do not need Valkey.
    assert (await client.get("/api/v1/users/me", headers=auth_headers(user))).status_code == 200

    valkey_control.start()
    assert (await sign_in(client, user.email, DEFAULT_PASSWORD)).status_code == 200
