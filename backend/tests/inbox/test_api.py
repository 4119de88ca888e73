"""The inbox API as reps and managers use it: who sees what, filters, triage, replies, timelines."""

from datetime import timedelta

from sqlalchemy import select

from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from mancrel.inbox.models import Conversation
from mancrel.worker.models import OutboxMessage
from tests.deal.factories import make_company, make_deal
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, make_contact, receive


async def _conversation_of(db, channel, contact, **mail):
    message = await receive(db, channel, inbound(contact.emails[0], **mail))
    return await db.get(Conversation, message.conversation_id)


async def _ids(client, user, query: str = "") -> set[str]:
    response = await client.get(f"/api/v1/conversations{query}", headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return {c["id"] for c in response.json()["items"]}


async def test_reps_see_their_contacts_unassigned_ones_and_what_is_assigned_to_them(client, db):
    rep, other, manager = (await make_user(db), await make_user(db), await make_user(db, role=Role.manager))
    channel = await make_channel(db)
    mine = await _conversation_of(db, channel, await make_contact(db, owner=rep, email="a@x.example"))
    unassigned = await _conversation_of(db, channel, await make_contact(db, owner=None, email="b@x.example"))
    theirs = await _conversation_of(db, channel, await make_contact(db, owner=other, email="c@x.example"))
    handed = await _conversation_of(db, channel, await make_contact(db, owner=other, email="d@x.example"))
    handed.assignee_id = rep.id
    await db.flush()

    assert await _ids(client, rep) >= {str(mine.id), str(unassigned.id), str(handed.id)}
    assert str(theirs.id) not in await _ids(client, rep)
    assert await _ids(client, manager) >= {str(c.id) for c in (mine, unassigned, theirs, handed)}
    hidden = await client.get(f"/api/v1/conversations/{theirs.id}/messages", headers=auth_headers(rep))
    assert hidden.status_code == 404 and hidden.headers["content-type"] == "application/problem+json"
    assert (await client.get(f"/api/v1/conversations/{theirs.id}", headers=auth_headers(other))).status_code == 200


async def test_filters_search_and_priority_order_with_a_cursor(client, db):
    manager = await make_user(db, role=Role.manager)
    channel = await make_channel(db)
    contacts = [await make_contact(db, owner=manager, email=f"p{i}@x.example", first_name=f"Prio{i}")
                for i in range(4)]
    conversations = [await _conversation_of(db, channel, c, subject=f"Subject {i}", text=f"words {i}")
                     for i, c in enumerate(contacts)]
    for conversation, (priority, rank) in zip(conversations, [("low", 3), ("urgent", 0), (None, None), ("high", 1)],
                                              strict=True):
        conversation.priority, conversation.priority_rank = priority, rank
        conversation.intent = "order_status" if priority == "urgent" else "product_question"
    conversations[2].status = "closed"
    await db.flush()
    query = f"?channel_id={channel.id}&sort=priority&limit=2"
    first = (await client.get(f"/api/v1/conversations{query}", headers=auth_headers(manager))).json()
    rest = (await client.get(f"/api/v1/conversations{query}&cursor={first['next_cursor']}",
                             headers=auth_headers(manager))).json()
    order = [c["id"] for c in first["items"] + rest["items"]]
    assert order == [str(conversations[i].id) for i in (1, 3, 0, 2)]  # urgent, high, low, not yet classified
    base = f"?channel_id={channel.id}"
    assert await _ids(client, manager, base + "&status=closed") == {str(conversations[2].id)}
    assert await _ids(client, manager, base + "&intent=order_status") == {str(conversations[1].id)}
    assert await _ids(client, manager, base + "&priority=high") == {str(conversations[3].id)}
    assert await _ids(client, manager, base + "&q=words 3") == {str(conversations[3].id)}  # message text
    assert await _ids(client, manager, base + "&q=prio0") == {str(conversations[0].id)}  # contact name
    assert await _ids(client, manager, base + "&assignee_id=none") == {str(c.id) for c in conversations}
    assert await _ids(client, manager, base + "&assignee_id=me") == set()
    junk = await receive(db, channel, inbound("newsletter@brand.example", headers=[("Precedence", "bulk")]))
    assert await _ids(client, manager, base + "&junk=true") == {str(junk.conversation_id)}
    assert str(junk.conversation_id) not in await _ids(client, manager, base)
    bad = await client.get("/api/v1/conversations?cursor=garbage", headers=auth_headers(manager))
    assert bad.status_code == 422


async def test_most_urgent_first_puts_the_longest_waiting_customer_first_within_a_priority(client, db):
    manager = await make_user(db, role=Role.manager)
    channel = await make_channel(db)
    conversations = [await _conversation_of(db, channel, await make_contact(db, owner=manager, email=f"w{i}@x.example"))
                     for i in range(4)]
    now = utcnow()
    waited = [timedelta(minutes=5), timedelta(hours=3), timedelta(minutes=40), timedelta(hours=1)]
    for conversation, ago, (priority, rank) in zip(conversations, waited,
                                                   [("high", 1), ("high", 1), ("high", 1), ("urgent", 0)], strict=True):
        conversation.priority, conversation.priority_rank = priority, rank
        conversation.last_message_at = conversation.last_inbound_at = now - ago
    await db.flush()
    query = f"?channel_id={channel.id}&sort=priority&limit=2"
    first = (await client.get(f"/api/v1/conversations{query}", headers=auth_headers(manager))).json()
    rest = (await client.get(f"/api/v1/conversations{query}&cursor={first['next_cursor']}",
                             headers=auth_headers(manager))).json()
    order = [c["id"] for c in first["items"] + rest["items"]]
    # urgent, then the high ones: waiting 3 h, 40 min, 5 min
    assert order == [str(conversations[i].id) for i in (3, 1, 2, 0)]


async def test_assign_close_and_read(client, db):
    rep, other = await make_user(db), await make_user(db)
    channel = await make_channel(db)
    conversation = await _conversation_of(db, channel, await make_contact(db, owner=None, email="u@x.example"))
    url = f"/api/v1/conversations/{conversation.id}"
    refused = await client.patch(url, headers=auth_headers(rep), json={"assignee_id": str(other.id)})
    assert refused.status_code == 403
    taken = await client.patch(url, headers=auth_headers(rep), json={"assignee_id": str(rep.id), "read": True})
    assert taken.status_code == 200 and taken.json()["assignee_id"] == str(rep.id)
    assert taken.json()["unread_count"] == 0
    closed = await client.patch(url, headers=auth_headers(rep), json={"status": "closed"})
    assert closed.json()["status"] == "closed"
    assert (await client.patch(url, headers=auth_headers(rep), json={"status": "done"})).status_code == 422
    # The customer writes again: the conversation opens by itself.
    await db.refresh(conversation)  # the requests changed it through their own sessions
    await receive(db, channel, inbound("u@x.example", subject="Re: Trail jacket"))
    assert (await client.get(url, headers=auth_headers(rep))).json()["status"] == "open"


async def test_a_reply_is_queued_for_the_email_job_with_threading_headers(client, db):
    rep = await make_user(db)
    channel = await make_channel(db)
    contact = await make_contact(db, owner=rep, email="buyer@x.example")
    first = await receive(db, channel, inbound("buyer@x.example", message_id="<m1@x.example>", subject="Socks"))
    await receive(db, channel, inbound("buyer@x.example", message_id="<m2@x.example>", subject="Re: Socks",
                                       in_reply_to="<m1@x.example>", references=["<m1@x.example>"]))
    url = f"/api/v1/conversations/{first.conversation_id}/messages"
    response = await client.post(url, headers=auth_headers(rep), json={"text": "Yes, size M is in stock."})
    assert response.status_code == 201, response.text
    sent = response.json()
    assert sent["status"] == "queued" and sent["direction"] == "outbound" and sent["subject"] == "Re: Socks"
    assert sent["in_reply_to"] == "m2@x.example" and sent["references"] == ["m1@x.example", "m2@x.example"]
    assert sent["recipients"]["to"] == ["buyer@x.example"] and sent["sender"] == "shop@mancrel-shop.example"
    job = await db.scalar(select(OutboxMessage).where(OutboxMessage.task_name == "email.send_message",
                                                      OutboxMessage.kwargs["message_id"].astext == sent["id"]))
    assert job is not None
    thread = (await client.get(url, headers=auth_headers(rep))).json()["items"]
    assert [m["direction"] for m in thread] == ["inbound", "inbound", "outbound"]
    blank = await client.post(url, headers=auth_headers(rep), json={"text": "   "})
    assert blank.status_code == 422
    no_smtp = await make_channel(db, smtp=False)
    other = await receive(db, no_smtp, inbound("buyer@x.example"))
    refused = await client.post(f"/api/v1/conversations/{other.conversation_id}/messages",
                                headers=auth_headers(rep), json={"text": "hello"})
    assert refused.status_code == 409
    assert contact.id == (await db.get(Conversation, first.conversation_id)).contact_id


async def test_messages_appear_on_contact_company_and_deal_timelines(client, db):
    rep = await make_user(db)
    channel = await make_channel(db)
    company = await make_company(db, owner=rep)
    contact = await make_contact(db, owner=rep, email="tl@x.example", company=company)
    deal = await make_deal(db, actor=rep, contact_id=contact.id)
    message = await receive(db, channel, inbound("tl@x.example", subject="Timeline"))
    await receive(db, channel, inbound("tl@x.example", headers=[("Precedence", "bulk")]))  # junk: never shown
    for path in (f"contacts/{contact.id}", f"companies/{company.id}", f"deals/{deal.id}"):
        items = (await client.get(f"/api/v1/{path}/timeline", headers=auth_headers(rep))).json()["items"]
        messages = [e for e in items if e["kind"] == "message"]
        assert [e["id"] for e in messages] == [str(message.id)], path
        assert messages[0]["data"]["subject"] == "Timeline"
    stranger = await make_user(db)
    hidden = (await client.get(f"/api/v1/contacts/{contact.id}/timeline", headers=auth_headers(stranger)))
    assert hidden.status_code == 404
