"""Answering a WhatsApp customer after the 24-hour window with an approved template: through the
conversation's messages endpoint, checked against the template list (Graph API stand-in), stored with
the text the customer reads, and sent by the real worker with Graph's template body; anything that does
not fit the template is a 422 with nothing queued, and typed text stays refused."""

from datetime import timedelta

from sqlalchemy import delete, func, select

from mancrel.channel.models import Channel
from mancrel.contact.models import Contact
from mancrel.core.permissions import Role
from mancrel.inbox.models import Message
from mancrel.worker.models import OutboxMessage
from tests.channel.meta import templates
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
    assert sent["text"] == "Hello Ann, your order #1042 is on its way." and sent["status"] == "queued"
    assert sent["template"] == ORDER_SHIPPED and sent["recipients"]["to"] == [CUSTOMER_WA]
    assert await _queued(db, conversation.id) == (1, 1)


async def test_a_template_that_does_not_fit_is_refused_with_nothing_queued(client, db, graph) -> None:
    rep, conversation = await _customer(db, graph)
    cases = [
        (ORDER_SHIPPED | {"parameters": ["Ann"]}, "template.parameters", "takes 2 parameter(s); 1 given"),
        (ORDER_SHIPPED | {"name": "order_lost"}, "template.name", "No approved template"),
        (ORDER_SHIPPED | {"language": "de"}, "template.name", "No approved template"),
        ({"name": "spring_sale", "language": "en_US", "parameters": ["Ann"]}, "template.name", "No approved"),
        (ORDER_SHIPPED | {"parameters": ["Ann", "  "]}, "template.parameters.1", "is empty"),
        (ORDER_SHIPPED | {"parameters": ["Ann\nBuyer", "#1042"]}, "template.parameters.0", "line break"),
    ]
    for template, field, words in cases:
        response = await client.post(f"/api/v1/conversations/{conversation.id}/messages",
                                     json={"template": template}, headers=auth_headers(rep))
        assert response.status_code == 422, (template, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert words in response.json()["detail"] and response.json()["errors"][0]["field"] == field, template
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


async def _message(db, message_id) -> Message:
    db.expire_all()
    return await db.scalar(select(Message).where(Message.id == message_id))


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
            return (await _message(committed_db, message_id)).status == "sent"

        await eventually(sent, within=60)
        [call] = [r for r in graph.state.requests if r.method == "POST"]
        assert (call.path, call.authorization) == (f"/{VERSION}/{PHONE_NUMBER_ID}/messages",
                                                   "Bearer EAAG-test-access-token")
        assert call.body == {"messaging_product": "whatsapp", "to": CUSTOMER_WA, "type": "template", "template": {
            "name": "order_shipped", "language": {"code": "en_US"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ann"},
                                                            {"type": "text", "text": "#1042"}]}]}}
        assert (await _message(committed_db, message_id)).provider_message_id == "wamid.OUT1"

        body, headers = signed(wa_delivery(statuses=[wa_status("wamid.OUT1", "delivered")]))
        assert (await committed_client.post(f"/webhook/meta/{channel_id}", content=body,
                                            headers=headers)).status_code == 200

        async def delivered():
            return (await _message(committed_db, message_id)).delivered_at is not None

        await eventually(delivered, within=60)
        assert (await _message(committed_db, message_id)).status == "delivered"
    finally:
        await committed_db.execute(delete(Channel).where(Channel.id == channel_id))  # conversations, messages
        await committed_db.execute(delete(Contact).where(Contact.id == contact_id))
        await committed_db.commit()
