import json
import logging

from fastapi import APIRouter


async def test_unknown_route_is_problem_json(client):
    response = await client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


async def test_wrong_method_is_problem_json(client):
    response = await client.delete("/api/v1/users/me")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


async def test_malformed_json_body_is_a_422_with_fields(client):
    response = await client.post("/api/v1/auth/login", content=b"{not json",
                                 headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"]


async def test_unhandled_error_is_500_with_request_id_and_one_log_line(client, app, caplog):
    router = APIRouter()

    @router.post("/api/v1/test-only/boom")
    async def boom() -> None:
        raise RuntimeError("kaboom")

    app.include_router(router)
    with caplog.at_level(logging.ERROR, logger="mancrel.access"):
        response = await client.post("/api/v1/test-only/boom", headers={"X-Request-ID": "req-123"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "req-123"
    body = response.json()
    assert body["request_id"] == "req-123"
    assert "kaboom" not in json.dumps(body)  # internals stay in the log
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "kaboom" in caplog.text


async def test_every_response_carries_a_request_id(client):
    response = await client.get("/healthz")
    assert len(response.headers["x-request-id"]) >= 16


async def test_interleaved_writes_to_one_record_answer_412_not_500(client, app):
    from sqlalchemy.orm.exc import StaleDataError

    router = APIRouter()

    @router.post("/api/v1/test-only/stale")
    async def stale() -> None:
        # What SQLAlchemy's version check raises when another transaction saved first.
        raise StaleDataError("UPDATE statement on table 'deals' expected to update 1 row(s); 0 were matched.")

    app.include_router(router)
    response = await client.post("/api/v1/test-only/stale")
    assert response.status_code == 412
    assert response.headers["content-type"] == "application/problem+json"
    assert "Reload" in response.json()["detail"]
