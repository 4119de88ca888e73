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
