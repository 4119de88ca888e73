"""A WhatsApp channel's approved message templates at /api/v1/channels/{id}/templates, read from the
Graph API stand-in (which checks the token, the URL and the fields asked for, and pages its answer as
Meta does): approved and sendable ones only, every page, kept a few minutes, refreshed by an admin,
and Meta's refusals as problems that also show on the channel's health."""

from mancrel.core.permissions import Role
from tests.channel.meta import templates
from tests.channel.meta.factories import ingest_all, make_meta_channel, post, wa_delivery, wa_message
from tests.channel.meta.graph_server import TEMPLATE_FIELDS, VERSION, WABA_ID
from tests.factories import auth_headers, make_user


async def _rep_with_a_customer(client, db, graph, **channel):
    """A rep who answers a WhatsApp customer on a channel pointed at the stand-in."""
    rep = await make_user(db, role=Role.rep)
    wa = await make_meta_channel(db, graph_url=graph.url, owner_id=rep.id, **channel)
    await post(client, wa.id, wa_delivery(wa_message(body="Where is my lamp?")))
    await ingest_all(db, wa.id)
    return rep, wa


def _template_calls(graph) -> list:
    return [r for r in graph.state.requests if r.path.endswith("/message_templates")]


async def test_a_rep_gets_the_approved_templates_from_every_page(client, db, graph) -> None:
    graph.state.templates = list(templates.ALL)
    graph.state.template_page_size = 6  # fifteen templates: three pages, each found by its paging.next
    rep, channel = await _rep_with_a_customer(client, db, graph)

    response = await client.get(f"/api/v1/channels/{channel.id}/templates", headers=auth_headers(rep))

    assert response.status_code == 200, response.text
    assert [(t["name"], t["language"]) for t in response.json()["items"]] == templates.OFFERED
    calls = _template_calls(graph)
    assert [c.path for c in calls] == [f"/{VERSION}/{WABA_ID}/message_templates"] * 3
    assert all(c.authorization == "Bearer EAAG-test-access-token" for c in calls)
    assert all(c.query["fields"] == [TEMPLATE_FIELDS] for c in calls)
    assert [c.query.get("after") for c in calls] == [None, ["6"], ["12"]]


async def test_each_template_says_which_values_it_needs(client, db, graph) -> None:
    """Header, body parameters (numbered or named, with Meta's examples), footer and buttons: what the
    composer asks for. Location headers, carousels, one-time-password and copy-code buttons, and a URL
    variable anywhere but at the end are still not offered: the composer has no field for them."""
    graph.state.templates = list(templates.ALL)
    rep, channel = await _rep_with_a_customer(client, db, graph)

    items = (await client.get(f"/api/v1/channels/{channel.id}/templates", headers=auth_headers(rep))).json()["items"]
    by_name = {t["name"]: t for t in items}

    assert not {t["name"] for t in templates.NOT_OFFERED} & set(by_name)
    assert by_name["track_order"] == {
        "name": "track_order", "language": "en_US", "category": "UTILITY", "parameter_format": "POSITIONAL",
        "header": {"format": "TEXT", "text": "Order {{1}}", "parameter": {"name": "1", "example": "#1042"}},
        "body": "Hi {{1}}, your parcel left our workshop today.",
        "body_parameters": [{"name": "1", "example": "Ann"}], "parameter_count": 1, "footer": "Lamp & Co",
        "buttons": [
            {"index": 0, "type": "URL", "text": "Track parcel", "url": "https://lamp.example/track/{{1}}",
             "phone_number": None, "parameter": {"name": "1", "example": "1042-XK"}},
            {"index": 1, "type": "URL", "text": "Our shop", "url": "https://lamp.example/", "phone_number": None,
             "parameter": None},
            {"index": 2, "type": "PHONE_NUMBER", "text": "Call us", "url": None, "phone_number": "+49301234567",
             "parameter": None}]}
    named = by_name["winter_sale"]
    assert named["parameter_format"] == "NAMED" and named["parameter_count"] == 2
    assert named["body_parameters"] == [{"name": "first_name", "example": "Ann"},
                                        {"name": "code", "example": "WINTER10"}]
    assert named["header"]["parameter"] == {"name": "sale_name", "example": "Winter sale"}
    assert by_name["invoice"]["header"] == {"format": "DOCUMENT", "text": None, "parameter": None}
    assert by_name["new_arrivals"]["header"]["format"] == "IMAGE"
    assert by_name["follow_up"]["parameter_format"] == "POSITIONAL"  # Meta's older answers do not say
    assert by_name["hello_world"]["body_parameters"] == [] and by_name["hello_world"]["header"] is None


async def test_the_list_is_kept_a_few_minutes_and_an_admin_refreshes_it(client, db, graph) -> None:
    graph.state.templates = [templates.ORDER_SHIPPED]
    rep, channel = await _rep_with_a_customer(client, db, graph)
    admin = await make_user(db, role=Role.admin)
    url = f"/api/v1/channels/{channel.id}/templates"
    first = (await client.get(url, headers=auth_headers(rep))).json()
    graph.state.templates.append(templates.HELLO)  # approved at Meta meanwhile

    again = (await client.get(url, headers=auth_headers(rep))).json()
    assert again == first and len(_template_calls(graph)) == 1  # from Valkey: Meta not asked again

    assert (await client.post(f"{url}/refresh", headers=auth_headers(rep))).status_code == 403
    refreshed = await client.post(f"{url}/refresh", headers=auth_headers(admin))
    assert refreshed.status_code == 200, refreshed.text
    assert [t["name"] for t in refreshed.json()["items"]] == ["hello_world", "order_shipped"]
    assert refreshed.json()["fetched_at"] > first["fetched_at"]
    assert [t["name"] for t in (await client.get(url, headers=auth_headers(rep))).json()["items"]] == [
        "hello_world", "order_shipped"]


async def test_a_refused_token_is_a_problem_and_shows_on_the_channels_health(client, db, graph) -> None:
    rep, channel = await _rep_with_a_customer(client, db, graph)
    admin = await make_user(db, role=Role.admin)
    graph.state.token = "a-rotated-token"

    response = await client.get(f"/api/v1/channels/{channel.id}/templates", headers=auth_headers(rep))

    assert response.status_code == 502 and response.headers["content-type"] == "application/problem+json"
    assert "code 190" in response.json()["detail"] and "secrets.access_token" in response.json()["detail"]
    health = (await client.get(f"/api/v1/channels/{channel.id}/health", headers=auth_headers(admin))).json()
    assert "code 190" in health["token_error"] and "message templates" in health["last_error"]


async def test_meta_out_of_reach_is_not_called_a_refusal(client, db, graph) -> None:
    rep, channel = await _rep_with_a_customer(client, db, graph)
    channel.settings = {**channel.settings, "graph_base_url": "http://127.0.0.1:9"}  # nothing listens there
    await db.flush()

    response = await client.get(f"/api/v1/channels/{channel.id}/templates", headers=auth_headers(rep))

    assert response.status_code == 502, response.text
    problem = response.json()
    assert problem["title"] == "Meta could not be reached for the template list"
    assert "try again" in problem["detail"] and "business_account_id" not in problem["detail"]


async def test_an_unknown_business_account_is_a_problem_naming_the_setting(client, db, graph) -> None:
    rep, channel = await _rep_with_a_customer(client, db, graph, business_account_id="999000111")
    admin = await make_user(db, role=Role.admin)

    response = await client.get(f"/api/v1/channels/{channel.id}/templates", headers=auth_headers(rep))

    assert response.status_code == 502, response.text
    assert "does not exist" in response.json()["detail"] and "business_account_id" in response.json()["detail"]
    health = (await client.get(f"/api/v1/channels/{channel.id}/health", headers=auth_headers(admin))).json()
    assert "does not exist" in health["last_error"] and health["token_error"] is None


async def test_without_a_business_account_id_the_problem_says_what_to_configure(client, db, graph) -> None:
    rep, channel = await _rep_with_a_customer(client, db, graph, business_account_id=None)

    response = await client.get(f"/api/v1/channels/{channel.id}/templates", headers=auth_headers(rep))

    assert response.status_code == 409 and response.headers["content-type"] == "application/problem+json"
    assert "settings.business_account_id" in response.json()["detail"]
    assert _template_calls(graph) == []


async def test_templates_are_for_those_who_answer_on_the_channel(client, db, graph) -> None:
    graph.state.templates = [templates.HELLO]
    _, channel = await _rep_with_a_customer(client, db, graph)
    stranger = await make_user(db, role=Role.rep)  # sees no conversation on this channel
    manager = await make_user(db, role=Role.manager)
    url = f"/api/v1/channels/{channel.id}/templates"

    assert (await client.get(url, headers=auth_headers(stranger))).status_code == 404
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=auth_headers(manager))).status_code == 200
    messenger = await make_meta_channel(db, "messenger", graph_url=graph.url)
    refused = await client.get(f"/api/v1/channels/{messenger.id}/templates", headers=auth_headers(manager))
    assert refused.status_code == 409 and "WhatsApp" in refused.json()["detail"]


async def test_the_business_account_id_is_checked_like_the_other_meta_ids(client, db) -> None:
    admin = await make_user(db, role=Role.admin)
    channel = await make_meta_channel(db, business_account_id=None)
    url = f"/api/v1/channels/{channel.id}"

    refused = await client.patch(url, json={"settings": {"business_account_id": "WABA-1"}}, headers=auth_headers(admin))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "settings.business_account_id"
    saved = await client.patch(url, json={"settings": {"business_account_id": WABA_ID}}, headers=auth_headers(admin))
    assert saved.status_code == 200 and saved.json()["settings"]["business_account_id"] == WABA_ID


async def test_with_valkey_down_the_list_is_read_from_meta_directly(client, db, graph, valkey_control) -> None:
    """Valkey only keeps the list a few minutes: while it is down the composer still gets the templates."""
    graph.state.templates = [templates.ORDER_SHIPPED]
    rep, channel = await _rep_with_a_customer(client, db, graph)
    url = f"/api/v1/channels/{channel.id}/templates"
    valkey_control.stop()
    try:
        first = await client.get(url, headers=auth_headers(rep))
        graph.state.templates.append(templates.HELLO)
        second = await client.get(url, headers=auth_headers(rep))
    finally:
        valkey_control.start()

    assert first.status_code == 200, first.text
    assert [t["name"] for t in first.json()["items"]] == ["order_shipped"]
    # Nothing kept while Valkey was down: the second read asked Meta again and saw the new template.
    assert [t["name"] for t in second.json()["items"]] == ["hello_world", "order_shipped"]
    assert len(_template_calls(graph)) == 2
