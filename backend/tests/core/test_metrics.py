import pytest

from mancrel.core.config import get_settings
from tests.auth.helpers import client_from
from tests.factories import auth_headers, make_user


async def test_metrics_count_requests_by_route_template_and_status(client, db):
    user = await make_user(db)
    await client.get(f"/api/v1/users/{user.id}", headers=auth_headers(user))  # 403 for a rep
    response = await client.get("/metrics")
    assert response.status_code == 200
    text = response.text
    assert 'mancrel_http_requests_total{method="GET",route="/api/v1/users/{user_id}",status="403"}' in text
    assert "mancrel_http_request_duration_seconds_bucket" in text
    assert str(user.id) not in text  # ids never become label values


SCRAPE_TOKEN = "scrape-token-for-the-tests-0123456789"


@pytest.fixture
def metrics_token(monkeypatch):
    monkeypatch.setattr(get_settings(), "metrics_token", SCRAPE_TOKEN)
    return SCRAPE_TOKEN


async def test_metrics_are_refused_to_callers_outside_the_allowed_networks(app, client, metrics_token):
    async with client_from(app, "203.0.113.20") as outsider:
        refused = await outsider.get("/metrics")
        wrong = await outsider.get("/metrics", headers={"Authorization": "Bearer not-the-token-at-all-000000"})
        scraped = await outsider.get("/metrics", headers={"Authorization": f"Bearer {metrics_token}"})
    for answer in (refused, wrong):
        assert answer.status_code == 403
        assert answer.headers["content-type"] == "application/problem+json"
        assert "mancrel_http_requests_total" not in answer.text
    assert scraped.status_code == 200
    assert "mancrel_http_requests_total" in scraped.text


async def test_metrics_are_open_to_a_configured_network(app, client, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "metrics_allowed_networks", settings.model_validate(
        {"metrics_allowed_networks": "10.9.0.0/16"}).metrics_allowed_networks)
    async with client_from(app, "10.9.4.4") as prometheus:
        assert (await prometheus.get("/metrics")).status_code == 200
    assert (await client.get("/metrics")).status_code == 403  # loopback was replaced, not added to


async def test_a_proxy_on_the_same_host_does_not_make_outside_callers_look_local(app, client, monkeypatch):
    """nginx on the machine forwards from 127.0.0.1: its X-Forwarded-For says the caller is elsewhere."""
    assert (await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.20"})).status_code == 403
    settings = get_settings()
    monkeypatch.setattr(settings, "trusted_proxies", settings.model_validate(
        {"trusted_proxies": "127.0.0.1"}).trusted_proxies)
    assert (await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.20"})).status_code == 403
    assert (await client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})).status_code == 200
