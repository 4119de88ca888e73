"""Failed sign-ins slow the guesser down; they never lock the account's owner out."""

import asyncio

from mancrel.core.config import get_settings
from tests.auth.helpers import client_from, sign_in
from tests.factories import DEFAULT_PASSWORD, make_user

ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


async def test_a_guesser_does_not_lock_the_owner_out(app, client, db):
    await make_user(db, email="target@example.com")
    async with client_from(app, ATTACKER) as attacker:
        answers = [(await sign_in(attacker, "target@example.com", f"guess-number-{n}")).status_code
                   for n in range(12)]
        assert answers[:4] == [401] * 4 and set(answers[4:]) == {429}  # the guesser waits
        # Even the right password does not get through while the guesser must wait.
        assert (await sign_in(attacker, "target@example.com", DEFAULT_PASSWORD)).status_code == 429
    async with client_from(app, OWNER) as owner:
        assert (await sign_in(owner, "target@example.com", DEFAULT_PASSWORD)).status_code == 200


async def test_each_further_failure_makes_the_next_attempt_wait_twice_as_long(app, client, db):
    await make_user(db, email="typist@example.com")
    waits = []
    async with client_from(app, OWNER) as http:
        for _ in range(get_settings().login_free_attempts):
            assert (await sign_in(http, "typist@example.com", "not-quite-it")).status_code == 401
        for _ in range(3):
            assert (await sign_in(http, "typist@example.com", "not-quite-it")).status_code == 401
            refused = await sign_in(http, "typist@example.com", DEFAULT_PASSWORD)
            assert refused.status_code == 429
            assert refused.headers["content-type"] == "application/problem+json"
            assert refused.json()["title"] == "Too many failed sign-in attempts"
            waits.append(int(refused.headers["Retry-After"]))
            await asyncio.sleep(waits[-1])  # what the answer asked for
        assert waits == [1, 2, 4]
        assert (await sign_in(http, "typist@example.com", DEFAULT_PASSWORD)).status_code == 200
        # A success forgives: the free attempts are back.
        for _ in range(get_settings().login_free_attempts):
            assert (await sign_in(http, "typist@example.com", "not-quite-it")).status_code == 401


async def test_a_burst_of_parallel_guesses_gets_no_more_tries_than_one_by_one(app, committed_client, committed_db):
    await make_user(committed_db, email="burst@example.com")
    await committed_db.commit()
    async with client_from(app, ATTACKER) as attacker:
        answers = await asyncio.gather(*(sign_in(attacker, "burst@example.com", f"guess-{n}-guess")
                                         for n in range(10)))
    codes = sorted(a.status_code for a in answers)
    # The free attempts and the one that starts the first wait; all the others are refused.
    assert codes == [401] * (get_settings().login_free_attempts + 1) + [429] * (9 - get_settings().login_free_attempts)


async def test_many_failures_from_one_address_block_that_address_only(app, client, db, monkeypatch):
    monkeypatch.setattr(get_settings(), "login_max_failures_per_ip", 5)
    await make_user(db, email="victim@example.com")
    async with client_from(app, ATTACKER) as attacker:
        for n in range(5):
            assert (await sign_in(attacker, f"spray{n}@example.com", "guess-guess-guess")).status_code == 401
        blocked = await sign_in(attacker, "victim@example.com", DEFAULT_PASSWORD)
        assert blocked.status_code == 429
        assert 0 < int(blocked.headers["Retry-After"]) <= get_settings().login_failure_window_seconds
    async with client_from(app, OWNER) as owner:
        assert (await sign_in(owner, "victim@example.com", DEFAULT_PASSWORD)).status_code == 200


async def test_successful_sign_ins_do_not_count_against_an_address(app, client, db, monkeypatch):
    # An office behind one NAT address signs in all morning.
    monkeypatch.setattr(get_settings(), "login_max_failures_per_ip", 3)
    users = [await make_user(db) for _ in range(5)]
    async with client_from(app, OWNER) as office:
        for user in users:
            assert (await sign_in(office, user.email, DEFAULT_PASSWORD)).status_code == 200
