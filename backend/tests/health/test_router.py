from mancrel.core.embedded import EmbeddedValkey


async def test_healthz_answers_while_alive(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_ready_when_everything_is_up(client):
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "redis": "ok"}


async def test_readyz_names_redis_while_it_is_stopped(client, servers):
    valkey: EmbeddedValkey = servers["valkey"]
    valkey.stop()
    try:
        response = await client.get("/readyz")
    finally:
        valkey.start()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["checks"]["redis"] != "ok"
    assert body["checks"]["database"] == "ok"
    assert "redis" in body["detail"]
    assert (await client.get("/readyz")).status_code == 200  # and it recovers


async def test_readyz_names_migrations_not_yet_applied(client, db, monkeypatch):
    from sqlalchemy import text

    from mancrel.health import router as health

    recorded = set(await db.scalars(text("SELECT version_num FROM alembic_version")))
    assert health.missing_migrations(recorded) == set()
    assert health.missing_migrations({"0001_platform"})  # an old database is behind
    monkeypatch.setattr(health, "missing_migrations", lambda recorded: {"0099_future"})
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert "0099_future" in response.json()["checks"]["migrations"]
