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
