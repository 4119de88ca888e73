"""Two refreshes with one token at the same moment (two tabs, a retried request) keep the user signed in."""

import asyncio
import time
from datetime import timedelta

from sqlalchemy import select, text, update

from mancrel.auth.models import RefreshToken
from mancrel.core.db import utcnow
from mancrel.core.security import token_digest
from tests.auth.helpers import REFRESH, sign_in
from tests.factories import DEFAULT_PASSWORD, make_user


async def _wait_for_lock_waiters(engine, count: int) -> None:
    deadline = time.monotonic() + 20
    async with engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = await conn.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query ILIKE '%FROM refresh_tokens%FOR UPDATE%'"))
            if waiting >= count:
                return
            await conn.rollback()  # pg_stat_activity is a snapshot per transaction
            await asyncio.sleep(0.02)
    raise AssertionError(f"{count} refreshes never waited on the token's row lock together")


async def test_two_simultaneous_refreshes_get_the_same_new_pair(engine, committed_client, committed_db):
    user = await make_user(committed_db, email="two.tabs@example.com")
    await committed_db.commit()
    tokens = (await sign_in(committed_client, user.email, DEFAULT_PASSWORD)).json()
    body = {"refresh_token": tokens["refresh_token"]}

    # Hold the token's row so both requests are in flight at once, each waiting on the lock;
    # then let them go. Neither has finished before the other started.
    async with engine.connect() as blocker:
        await blocker.execute(select(RefreshToken.id).where(
            RefreshToken.token_hash == token_digest(tokens["refresh_token"])).with_for_update())
        first = asyncio.create_task(committed_client.post(REFRESH, json=body))
        second = asyncio.create_task(committed_client.post(REFRESH, json=body))
        try:
            await _wait_for_lock_waiters(engine, 2)
        finally:  # the requests end before the test does, whatever happened
            await blocker.rollback()
            answers = await asyncio.gather(first, second)

    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    pairs = [a.json() for a in answers]
    assert pairs[0]["refresh_token"] == pairs[1]["refresh_token"] != tokens["refresh_token"]
    for pair in pairs:  # both tabs can call the API ...
        me = await committed_client.get("/api/v1/users/me",
                                        headers={"Authorization": f"Bearer {pair['access_token']}"})
        assert me.status_code == 200
    # ... and the session goes on: the shared new token refreshes again.
    again = await committed_client.post(REFRESH, json={"refresh_token": pairs[0]["refresh_token"]})
    assert again.status_code == 200


async def test_a_replay_after_the_grace_period_still_ends_the_session(client, db):
    user = await make_user(db, email="late.replay@example.com")
    first = (await sign_in(client, user.email, DEFAULT_PASSWORD)).json()
    second = (await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})).json()
    await db.execute(update(RefreshToken).where(RefreshToken.token_hash == token_digest(first["refresh_token"]))
                     .values(rotated_at=utcnow() - timedelta(seconds=30)))
    replayed = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert replayed.status_code == 401
    assert replayed.json()["type"] == "/problems/refresh-token-reused"
    after_theft = await client.post(REFRESH, json={"refresh_token": second["refresh_token"]})
    assert after_theft.status_code == 401


async def test_within_the_grace_period_an_already_used_successor_is_not_handed_out(client, db):
    """The old token came back after its successor was itself used: that is a copy, not a second tab."""
    user = await make_user(db, email="quick.chain@example.com")
    first = (await sign_in(client, user.email, DEFAULT_PASSWORD)).json()
    second = (await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})).json()
    third = await client.post(REFRESH, json={"refresh_token": second["refresh_token"]})
    assert third.status_code == 200
    replayed = await client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert replayed.status_code == 401
    refused = await client.post(REFRESH, json={"refresh_token": third.json()["refresh_token"]})
    assert refused.status_code == 401
