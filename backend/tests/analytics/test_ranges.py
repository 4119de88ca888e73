"""Bad ranges are refused with a problem+json 422 naming the field; no range means the last 30 days."""

from datetime import timedelta

import pytest

from mancrel.core.db import utcnow
from tests.contact.factories import quick_user
from tests.factories import auth_headers


@pytest.mark.parametrize("query", [{"from": "2024-03-10", "to": "2024-03-01"},   # backwards
                                   {"from": "2020-01-01", "to": "2024-03-01"},   # over three years
                                   {"from": "2024-02-30"},                       # no such day
                                   {"to": "yesterday"}])
async def test_a_bad_range_is_a_422_problem(client, db, query):
    user = await quick_user(db)
    for name in ("deals", "response-times"):
        response = await client.get(f"/api/v1/analytics/{name}", params=query, headers=auth_headers(user))
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert body["status"] == 422
        assert {e["field"] for e in body["errors"]} & {"from", "to"}


async def test_no_range_means_the_last_30_days_to_today(client, db):
    user = await quick_user(db)
    response = await client.get("/api/v1/analytics/deals", headers=auth_headers(user))
    assert response.status_code == 200, response.text
    today = utcnow().date()
    assert (response.json()["from_day"], response.json()["to_day"]) == (str(today - timedelta(days=29)), str(today))
