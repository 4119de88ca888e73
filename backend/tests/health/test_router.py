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


async def test_readyz_names_migrations_not_yet_applied(client, engine):
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from mancrel.core.migrate import alembic_config

    async with engine.connect() as conn:
        recorded = list(await conn.scalars(text("SELECT version_num FROM alembic_version")))
    # Make the real database look like one only at the platform migration, then put it back.
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM alembic_version"))
        await conn.execute(text("INSERT INTO alembic_version VALUES ('0001_platform')"))
    try:
        behind = await client.get("/readyz")
    finally:
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM alembic_version"))
            for version in recorded:
                await conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": version})
    assert behind.status_code == 503
    assert "not at head" in behind.json()["checks"]["migrations"]
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert all(head in behind.json()["checks"]["migrations"] for head in heads)
    assert (await client.get("/readyz")).status_code == 200
