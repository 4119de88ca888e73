"""Which failures are retried: classified from real errors of real servers."""


import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from mancrel.worker.errors import PermanentError, backoff_seconds, is_transient
from tests.worker.shop_server import running_shop


async def _error_from(engine, *statements: str) -> DBAPIError:
    async with engine.connect() as conn:
        with pytest.raises(DBAPIError) as caught:
            for statement in statements:
                await conn.execute(text(statement))
        await conn.rollback()
    return caught.value


async def test_database_errors_worth_another_try_are_transient_and_bad_data_is_not(engine):
    async with engine.connect() as holder:
        await holder.execute(text("CREATE TABLE IF NOT EXISTS t_locked (id int)"))
        await holder.commit()
        await holder.execute(text("LOCK TABLE t_locked IN ACCESS EXCLUSIVE MODE"))
        lock_timeout = await _error_from(engine, "SET lock_timeout = '50ms'", "SELECT * FROM t_locked")
        await holder.rollback()
        await holder.execute(text("DROP TABLE t_locked"))
        await holder.commit()
    statement_timeout = await _error_from(engine, "SET statement_timeout = '50ms'", "SELECT pg_sleep(2)")
    division = await _error_from(engine, "SELECT 1 / 0")
    duplicate = await _error_from(engine, "CREATE TEMP TABLE d (id int PRIMARY KEY)",
                                  "INSERT INTO d VALUES (1), (1)")

    assert "lock timeout" in str(lock_timeout) and "statement timeout" in str(statement_timeout)
    assert is_transient(lock_timeout) and is_transient(statement_timeout)
    assert not is_transient(division) and not is_transient(duplicate)


async def test_serialization_failures_are_transient(engine):
    async with engine.connect() as a, engine.connect() as b:
        await a.execute(text("CREATE TABLE IF NOT EXISTS t_serial (id int PRIMARY KEY, v int)"))
        await a.execute(text("INSERT INTO t_serial VALUES (1, 0) ON CONFLICT DO NOTHING"))
        await a.commit()
        for conn in (a, b):
            await conn.execute(text("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"))
            await conn.execute(text("SELECT v FROM t_serial WHERE id = 1"))
        await a.execute(text("UPDATE t_serial SET v = v + 1 WHERE id = 1"))
        await a.commit()
        with pytest.raises(DBAPIError) as caught:
            await b.execute(text("UPDATE t_serial SET v = v + 1 WHERE id = 1"))
        await b.rollback()
        await a.execute(text("DROP TABLE t_serial"))
        await a.commit()
    assert is_transient(caught.value)


async def test_third_party_5xx_and_network_errors_are_transient_4xx_and_permanent_errors_are_not():
    with running_shop() as shop:
        async with httpx.AsyncClient() as http:
            unavailable = (await http.get(shop.url))
            shop.status = 404
            missing = await http.get(shop.url)
        port = shop.httpd.server_address[1]
    errors = {}
    for name, response in (("503", unavailable), ("404", missing)):
        try:
            response.raise_for_status()
        except httpx.HTTPStatusError as exc:
            errors[name] = exc
    async with httpx.AsyncClient() as http:  # the server is gone now: connection refused
        with pytest.raises(httpx.ConnectError) as refused:
            await http.get(f"http://127.0.0.1:{port}/")

    assert is_transient(errors["503"]) and is_transient(refused.value) and is_transient(TimeoutError())
    assert not is_transient(errors["404"]) and not is_transient(PermanentError("bad sku"))
    assert not is_transient(KeyError("a bug"))


def test_backoff_grows_exponentially_with_jitter_and_stays_under_the_cap():
    waits = [[backoff_seconds(attempt, base=2, maximum=60) for _ in range(200)] for attempt in range(8)]
    for attempt, samples in enumerate(waits):
        cap = min(60, 2 * 2 ** attempt)
        assert all(cap / 2 <= w <= cap for w in samples)
        assert len({round(w, 6) for w in samples}) > 100  # jittered, not one fixed delay
    assert max(waits[7]) <= 60
