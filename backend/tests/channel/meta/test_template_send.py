"""Answering a WhatsApp customer after the 24-hour window with an approved template: through the
conversation's messages endpoint, checked against the template list (Graph API stand-in), stored with
the text the customer reads (header, body, footer, buttons; a media header as a link line), and sent
by the real worker with Graph's template body, which the stand-in checks as the Cloud API documents it;
anything that does not fit the template is a 422 with nothing queued, and typed text stays refused."""

from datetime import timedelta

from sqlalchemy import delete, func, select

from mancrel.channel.models import Channel
from mancrel.contact.models import Contact
from mancrel.core.permissions import Role
from mancrel.inbox.models import Message
from mancrel.worker.models import OutboxMessage
from tests.channel.factories import reread_message
from tests.channel.meta import graph_templates, templates
from tests.channel.meta.factories import (
    CUSTOMER_WA,
    chat_conversation,
    make_meta_channel,
    signed,
    wa_delivery,
    wa_status,
)
from tests.channel.meta.graph_server import PHONE_NUMBER_ID, VERSION
from tests.factories import auth_headers, make_user
from tests.worker.helpers import eventually

ORDER_SHIPPED = {"name": "order_shipped", "language": "en_US", "parameters": ["Ann", "#1042"]}
TRACK_ORDER = {"name": "track_order", "language": "en_US", "parameters": ["Ann"], "header_text": "#1042",
               "buttons": [{"index": 0, "text": "1042-XK"}]}
WINTER_SALE = {"name": "winter_sale", "language": "en_US", "header_text": "Winter sale",
               "named_parameters": {"first_name": "Ann", "code": "WINTER10"}}
INVOICE = {"name": "invoice", "language": "en_US", "parameters": ["R-77"],
           "header_media": {"link": "https://files.lamp.example/R-77.pdf", "filename": "Invoice R-77.pdf"}}
NEW_ARRIVALS = {"name": "new_arrivals", "language": "en_US", "parameters": ["Oak lamp"],
                "header_media": {"link": "https://files.lamp.example/oak.jpg"}}


async def _customer(db, graph, *, wrote_ago=timedelta(days=3), kind="whatsapp"):
    graph.state.templates = list(templates.ALL)
    rep = await make_user(db, role=Role.rep)
    channel = await make_meta_channel(db, kind, graph_url=graph.url)
    return rep, await chat_conversation(db, channel, owner=rep, wrote_ago=wrote_ago)


async def _queued(db, conversation_id) -> tuple[int, int]:
    """Outbound messages in the conversation, and send jobs waiting in the outbox."""
    outbound = await db.scalar(select(func.count()).select_from(Message).where(
        Message.conversation_id == conversation_id, Message.direction == "outbound"))
    jobs = await db.scalar(select(func.count()).select_from(OutboxMessage)
                           .where(OutboxMessage.task_name == "channel.send_meta_message"))
    return outbound, jobs


async def test_after_the_window_the_conversation_asks_for_a_template_and_takes_one(client, db, graph) -> None:
    rep, conversation = await _customer(db, graph)
    url = f"/api/v1/conversations/{conversation.id}"
    options = (await client.get(url, headers=auth_headers(rep))).json()["reply_options"]
    assert options == {"free_text": False, "template_required": True, "human_agent_tag_until": None}

    response = await client.post(f"{url}/messages", json={"template": ORDER_SHIPPED}, headers=auth_headers(rep))

    assert response.status_code == 201, response.text
    sent = response.json()
    assert sent["text"] == "Your order\n\nHello Ann, your order #1042 is on its way.\n\nLamp & Co\n\n[Thanks]"
    assert sent["status"] == "queued" and sent["recipients"]["to"] == [CUSTOMER_WA]
    assert sent["template"] == ORDER_SHIPPED | {"named_parameters": {}, "header_text": None, "header_media": None,
                                                "buttons": []}
    assert await _queued(db, conversation.id) == (1, 1)


async def _send(client, rep, conversation, template) -> dict:
    response = await client.post(f"/api/v1/conversations/{conversation.id}/messages", json={"template": template},
                                 headers=auth_headers(rep))
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_thread_keeps_what_the_customer_reads(client, db, graph) -> None:
    """Header text filled, body filled, footer, each button's label (a URL button with its whole address);
    a media header as a line naming the file and its link."""
    rep, conversation = await _customer(db, graph)

    track = await _send(client, rep, conversation, TRACK_ORDER)
    sale = await _send(client, rep, conversation, WINTER_SALE)
    invoice = await _send(client, rep, conversation, INVOICE)
    arrivals = await _send(client, rep, conversation, NEW_ARRIVALS)

    assert track["text"] == ("Order #1042\n\nHi Ann, your parcel left our workshop today.\n\nLamp & Co\n\n"
                             "[Track parcel] https://lamp.example/track/1042-XK\n[Our shop] https://lamp.example/\n"
                             "[Call us] +49301234567")
    assert track["template"]["header_text"] == "#1042" and track["template"]["buttons"] == TRACK_ORDER["buttons"]
    assert sale["text"] == "Winter sale starts now\n\nHello Ann, use WINTER10 at checkout."
    assert sale["template"]["named_parameters"] == {"first_name": "Ann", "code": "WINTER10"}
    assert sale["template"]["parameters"] == []
    assert invoice["text"] == ("[document: Invoice R-77.pdf] https://files.lamp.example/R-77.pdf\n\n"
                               "Your invoice R-77 is attached.")
    assert invoice["template"]["header_media"] == {"format": "document", **INVOICE["header_media"]}
    assert arrivals["text"] == "[image] https://files.lamp.example/oak.jpg\n\nNew in: Oak lamp"
    listed = await client.get(f"/api/v1/conversations/{conversation.id}/messages", headers=auth_headers(rep))
    assert {m["text"] for m in listed.json()["items"] if m["direction"] == "outbound"} == {
        track["text"], sale["text"], invoice["text"], arrivals["text"]}
    assert await _queued(db, conversation.id) == (4, 4)


async def test_a_template_that_does_not_fit_is_refused_with_nothing_queued(client, db, graph) -> None:
    rep, conversation = await _customer(db, graph)
    long_name = "A" * 61
    cases = [
        (ORDER_SHIPPED | {"parameters": ["Ann"]}, "template.parameters", "takes 2 parameter(s); 1 given"),
        (ORDER_SHIPPED | {"parameters": ["Ann", "#1", "x"]}, "template.parameters", "3 given"),
        (ORDER_SHIPPED | {"name": "order_lost"}, "template.name", "No approved template"),
        (ORDER_SHIPPED | {"language": "de"}, "template.name", "No approved template"),
        ({"name": "spring_sale", "language": "en_US", "parameters": ["Ann"]}, "template.name", "No approved"),
        ({"name": "visit_us", "language": "en_US"}, "template.name", "No approved template"),  # LOCATION header
        (ORDER_SHIPPED | {"parameters": ["Ann", "  "]}, "template.parameters.1", "is empty"),
        (ORDER_SHIPPED | {"parameters": ["Ann\nBuyer", "#1042"]}, "template.parameters.0", "line break"),
        (ORDER_SHIPPED | {"header_text": "x"}, "template.header_text", "no header variable"),
        (ORDER_SHIPPED | {"buttons": [{"index": 0, "text": "x"}]}, "template.buttons.0.index", "nothing to fill"),
        # a text header's variable
        (TRACK_ORDER | {"header_text": None}, "template.header_text", "parameter {{1}} is missing"),
        (TRACK_ORDER | {"header_text": long_name}, "template.header_text", "61 characters; WhatsApp takes at most 60"),
        (TRACK_ORDER | {"header_media": NEW_ARRIVALS["header_media"]}, "template.header_media", "no image, video"),
        # URL buttons
        (TRACK_ORDER | {"buttons": []}, "template.buttons", "Button 0 (Track parcel) needs the end of its address"),
        (TRACK_ORDER | {"buttons": [{"index": 5, "text": "1"}]}, "template.buttons.0.index", "no button 5"),
        (TRACK_ORDER | {"buttons": [{"index": 1, "text": "1"}]}, "template.buttons.0.index", "nothing to fill"),
        (TRACK_ORDER | {"buttons": [{"index": 0, "text": "a b"}]}, "template.buttons.0.text", "has a space"),
        (TRACK_ORDER | {"buttons": [{"index": 0, "text": "x" * 1990}]}, "template.buttons.0.text", "at most 2000"),
        (TRACK_ORDER | {"buttons": [{"index": 0, "text": "1"}, {"index": 0, "text": "2"}]}, "template.buttons.1.index",
         "given twice"),
        # media headers
        (INVOICE | {"header_media": None}, "template.header_media", "starts with a document"),
        (INVOICE | {"header_media": {"link": "http://files.lamp.example/R-77.pdf", "filename": "R-77.pdf"}},
         "template.header_media.link", "https://"),
        (INVOICE | {"header_media": {"link": "https:///R-77.pdf", "filename": "R-77.pdf"}},
         "template.header_media.link", "with a host"),
        (INVOICE | {"header_media": {"link": "https://files.lamp.example/R-77.pdf"}},
         "template.header_media.filename", "needs a filename"),
        (INVOICE | {"header_media": {"link": "https://files.lamp.example/R-77.pdf", "filename": " "}},
         "template.header_media.filename", "filename is empty"),
        (NEW_ARRIVALS | {"header_media": {"link": "https://files.lamp.example/oak.jpg", "filename": "oak.jpg"}},
         "template.header_media.filename", "Only a document header takes a filename"),
        (NEW_ARRIVALS | {"header_media": {"link": "files.lamp.example/oak.jpg"}}, "template.header_media.link",
         "https://"),
        # named parameters
        (WINTER_SALE | {"named_parameters": {"first_name": "Ann"}}, "template.named_parameters.code", "is missing"),
        (WINTER_SALE | {"named_parameters": {"first_name": "Ann", "code": "W", "city": "Berlin"}},
         "template.named_parameters.city", "no parameter {{city}}"),
        (WINTER_SALE | {"named_parameters": {}, "parameters": ["Ann", "W"]}, "template.parameters",
         "send them as named_parameters"),
        (ORDER_SHIPPED | {"named_parameters": {"1": "Ann"}}, "template.named_parameters", "in order as parameters"),
        (ORDER_SHIPPED | {"parameters": ["A" * 1025, "#1"]}, "template.parameters.0", "at most 1024"),
    ]
    for template, field, words in cases:
        response = await client.post(f"/api/v1/conversations/{conversation.id}/messages",
                                     json={"template": template}, headers=auth_headers(rep))
        assert response.status_code == 422, (template, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert words in response.json()["detail"] and response.json()["errors"][0]["field"] == field, (
            template, response.json())
    assert await _queued(db, conversation.id) == (0, 0)
    both = await client.post(f"/api/v1/conversations/{conversation.id}/messages", headers=auth_headers(rep),
                             json={"text": "Hi", "template": ORDER_SHIPPED})
    assert both.status_code == 422


async def test_typed_text_after_the_window_is_still_refused_and_points_at_templates(client, db, graph) -> None:
    rep, conversation = await _customer(db, graph, wrote_ago=timedelta(hours=24, minutes=1))

    response = await client.post(f"/api/v1/conversations/{conversation.id}/messages", json={"text": "Still there?"},
                                 headers=auth_headers(rep))

    assert response.status_code == 409 and response.json()["title"] == "Reply window closed"
    detail = response.json()["detail"]
    assert "The customer last wrote 24 hours ago" in detail and "approved template" in detail
    assert f"/api/v1/channels/{conversation.channel_id}/templates" in detail
    assert await _queued(db, conversation.id) == (0, 0)


async def test_templates_only_on_whatsapp_and_only_for_who_sees_the_conversation(client, db, graph) -> None:
    rep, conversation = await _customer(db, graph)
    stranger = await make_user(db, role=Role.rep)
    hidden = await client.post(f"/api/v1/conversations/{conversation.id}/messages", json={"template": ORDER_SHIPPED},
                               headers=auth_headers(stranger))
    assert hidden.status_code == 404
    rep, messenger = await _customer(db, graph, kind="messenger", wrote_ago=timedelta(hours=1))
    refused = await client.post(f"/api/v1/conversations/{messenger.id}/messages", json={"template": ORDER_SHIPPED},
                                headers=auth_headers(rep))
    assert refused.status_code == 422 and "WhatsApp" in refused.json()["detail"]
    assert await _queued(db, conversation.id) == (0, 0) and await _queued(db, messenger.id) == (0, 0)


async def test_the_worker_sends_the_template_as_graph_documents_and_applies_its_status(
        committed_db, committed_client, celery_worker, graph) -> None:
    rep, conversation = await _customer(committed_db, graph)
    channel_id, contact_id = conversation.channel_id, conversation.contact_id
    await committed_db.commit()
    try:
        response = await committed_client.post(f"/api/v1/conversations/{conversation.id}/messages",
                                               json={"template": ORDER_SHIPPED}, headers=auth_headers(rep))
        assert response.status_code == 201, response.text
        message_id = response.json()["id"]

        async def sent():
            return (await reread_message(committed_db, message_id)).status == "sent"

        await eventually(sent, within=60)
        [call] = [r for r in graph.state.requests if r.method == "POST"]
        assert (call.path, call.authorization) == (f"/{VERSION}/{PHONE_NUMBER_ID}/messages",
                                                   "Bearer EAAG-test-access-token")
        assert call.body == {"messaging_product": "whatsapp", "to": CUSTOMER_WA, "type": "template", "template": {
            "name": "order_shipped", "language": {"code": "en_US"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ann"},
                                                            {"type": "text", "text": "#1042"}]}]}}
        assert (await reread_message(committed_db, message_id)).provider_message_id == "wamid.OUT1"

        body, headers = signed(wa_delivery(statuses=[wa_status("wamid.OUT1", "delivered")]))
        assert (await committed_client.post(f"/webhook/meta/{channel_id}", content=body,
                                            headers=headers)).status_code == 200

        async def delivered():
            return (await reread_message(committed_db, message_id)).delivered_at is not None

        await eventually(delivered, within=60)
        assert (await reread_message(committed_db, message_id)).status == "delivered"
    finally:
        await committed_db.execute(delete(Channel).where(Channel.id == channel_id))  # conversations, messages
        await committed_db.execute(delete(Contact).where(Contact.id == contact_id))
        await committed_db.commit()


EXPECTED_COMPONENTS = {
    "track_order": [
        {"type": "header", "parameters": [{"type": "text", "text": "#1042"}]},
        {"type": "body", "parameters": [{"type": "text", "text": "Ann"}]},
        {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "1042-XK"}]}],
    "winter_sale": [
        {"type": "header", "parameters": [{"type": "text", "parameter_name": "sale_name", "text": "Winter sale"}]},
        {"type": "body", "parameters": [{"type": "text", "parameter_name": "code", "text": "WINTER10"},
                                        {"type": "text", "parameter_name": "first_name", "text": "Ann"}]}],
    "invoice": [
        {"type": "header", "parameters": [{"type": "document", "document": {
            "link": "https://files.lamp.example/R-77.pdf", "filename": "Invoice R-77.pdf"}}]},
        {"type": "body", "parameters": [{"type": "text", "text": "R-77"}]}],
    "lamp_video": [{"type": "header", "parameters": [{"type": "video", "video": {
        "link": "https://files.lamp.example/oak.mp4"}}]}],
}


def _by_name(components: list[dict]) -> list[dict]:
    """Named body parameters in a stable order: Meta matches them by name, not position."""
    return [c | {"parameters": sorted(c["parameters"], key=lambda p: p.get("parameter_name", ""))} for c in components]


async def test_headers_named_parameters_and_url_buttons_reach_meta_as_documented(
        committed_db, committed_client, celery_worker, graph) -> None:
    """Each send goes through the real worker and httpx client; the stand-in refuses (and the message would
    fail) unless the components are the ones the Cloud API documents for that template."""
    rep, conversation = await _customer(committed_db, graph)
    channel_id, contact_id = conversation.channel_id, conversation.contact_id
    await committed_db.commit()
    video = {"name": "lamp_video", "language": "en_US", "header_media": {"link": "https://files.lamp.example/oak.mp4"}}
    try:
        ids = []
        for template in (TRACK_ORDER, WINTER_SALE, INVOICE, video):
            ids.append((await _send(committed_client, rep, conversation, template))["id"])

        async def all_sent():
            statuses = [(await reread_message(committed_db, i)).status for i in ids]
            assert "failed" not in statuses  # the stand-in refused one: its reason is on the message
            return statuses == ["sent"] * len(ids)

        await eventually(all_sent, within=60)
        posts = {c.body["template"]["name"]: c.body["template"] for c in graph.state.requests if c.method == "POST"}
        assert set(posts) == set(EXPECTED_COMPONENTS)
        for name, components in EXPECTED_COMPONENTS.items():
            assert _by_name(posts[name]["components"]) == _by_name(components), name
    finally:
        await committed_db.execute(delete(Channel).where(Channel.id == channel_id))
        await committed_db.execute(delete(Contact).where(Contact.id == contact_id))
        await committed_db.commit()


def test_the_stand_in_refuses_what_meta_would() -> None:
    """The checks the tests above rely on: a missing header, a wrong index, a named parameter sent by number."""
    known = list(templates.ALL)
    track = {"name": "track_order", "language": {"code": "en_US"}, "components": EXPECTED_COMPONENTS["track_order"]}
    assert graph_templates.refusal(known, track) is None
    assert "132000" in graph_templates.refusal(known, track | {"components": track["components"][1:]})
    wrong_index = [*track["components"][:2], track["components"][2] | {"index": "1"}]
    assert "132000" in graph_templates.refusal(known, track | {"components": wrong_index})
    sale = {"name": "winter_sale", "language": {"code": "en_US"}, "components": [
        EXPECTED_COMPONENTS["winter_sale"][0],
        {"type": "body", "parameters": [{"type": "text", "text": "Ann"}, {"type": "text", "text": "W"}]}]}
    assert "132012" in graph_templates.refusal(known, sale)
    http_doc = {"name": "invoice", "language": {"code": "en_US"}, "components": [
        {"type": "header", "parameters": [{"type": "document", "document": {"link": "http://x.example/a.pdf",
                                                                             "filename": "a.pdf"}}]},
        EXPECTED_COMPONENTS["invoice"][1]]}
    assert graph_templates.refusal(known, http_doc) is not None
