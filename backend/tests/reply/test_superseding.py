"""A pending draft is never sent after the conversation was answered (finding M2): a person's reply makes
its approval a 409 that names who answered and sends nothing; our own sends retire the older drafts."""

from types import SimpleNamespace

from sqlalchemy import select, text

from mancrel.core.db import commit
from mancrel.core.permissions import Role
from mancrel.inbox.models import Direction, Message
from mancrel.reply.decision import decide_message
from mancrel.reply.models import Suggestion
from tests.channel.factories import make_channel as make_smtp_channel
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, receive
from tests.reply.factories import audit_of, classified_message, classify, make_product
from tests.worker.helpers import eventually

QUESTION = "Hi, how much are the Merino Hiking Socks?"


async def _outbound(db, conversation_id) -> list[str]:
    return list(await db.scalars(select(Message.text).where(Message.conversation_id == conversation_id,
                                                            Message.direction == Direction.outbound)
                                 .order_by(Message.created_at)))


async def _status(db, suggestion_id) -> str:
    return await db.scalar(select(Suggestion.status).where(Suggestion.id == suggestion_id)
                           .execution_options(populate_existing=True))


async def test_approving_a_draft_after_a_persons_reply_answers_409_with_who_and_sends_nothing(client, db):
    rita = await make_user(db, full_name="Rita Schulz")
    maria = await make_user(db, role=Role.manager, full_name="Maria Keller")
    await make_product(db)
    message = await classified_message(db, text=QUESTION, confidence=0.75)
    suggestion = await decide_message(db, message.id)
    assert suggestion.status == "pending"
    answered = await client.post(f"/api/v1/conversations/{message.conversation_id}/messages",
                                 headers=auth_headers(rita), json={"text": "Hi Ada, they are 18.00 EUR a pair."})
    assert answered.status_code == 201, answered.text

    refused = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(maria),
                                json={})
    assert refused.status_code == 409 and refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert "already answered at" in problem["detail"] and "by Rita Schulz" in problem["detail"]
    assert problem["answered_by"] == "Rita Schulz"
    assert await _outbound(db, message.conversation_id) == ["Hi Ada, they are 18.00 EUR a pair."]
    # The card reads it as retired, with the answer named in its audit.
    assert await _status(db, suggestion.id) == "superseded"
    shown = await client.get(f"/api/v1/suggestions/{suggestion.id}", headers=auth_headers(maria))
    assert shown.json()["status"] == "superseded"
    step = (await audit_of(db, suggestion.id))[-1]
    assert (step.action, step.data["answered_by"]) == ("superseded", "Rita Schulz")
    again = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(maria), json={})
    assert again.status_code == 409 and await _outbound(db, message.conversation_id) == [
        "Hi Ada, they are 18.00 EUR a pair."]


async def test_a_draft_for_a_message_that_came_after_the_reply_still_goes_out(client, db):
    rep = await make_user(db)
    await make_product(db)
    channel = await make_channel(db)
    first = await classified_message(db, text=QUESTION, confidence=0.75, channel=channel,
                                     sender="ann@customer.example", subject="Socks")
    await client.post(f"/api/v1/conversations/{first.conversation_id}/messages", headers=auth_headers(rep),
                      json={"text": "Hi Ann, they are 18.00 EUR."})
    later = await classify(db, await receive(db, channel, inbound("ann@customer.example", subject="Re: Socks",
                                                                  text="And how much are the Merino Hiking Socks "
                                                                       "in a bundle?")), confidence=0.75)
    assert later.conversation_id == first.conversation_id
    suggestion = await decide_message(db, later.id)
    approved = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(rep), json={})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


async def test_an_approved_reply_retires_the_older_pending_draft_of_the_same_conversation(client, db):
    rep = await make_user(db)
    await make_product(db)
    channel = await make_channel(db)
    first = await classified_message(db, text=QUESTION, confidence=0.75, channel=channel,
                                     sender="bo@customer.example", subject="Socks")
    second = await classify(db, await receive(db, channel, inbound("bo@customer.example", subject="Re: Socks",
                                                                   text="Hello? The Merino Hiking Socks price?")),
                            confidence=0.75)
    older, newer = await decide_message(db, first.id), await decide_message(db, second.id)
    assert (older.status, newer.status) == ("pending", "pending")
    sent = await client.post(f"/api/v1/suggestions/{newer.id}/approve", headers=auth_headers(rep), json={})
    assert sent.status_code == 200
    assert await _status(db, older.id) == "superseded"
    assert len(await _outbound(db, first.conversation_id)) == 1
    assert (await client.post(f"/api/v1/suggestions/{older.id}/approve", headers=auth_headers(rep),
                              json={})).status_code == 409


async def test_a_persons_reply_reaching_the_customer_retires_the_pending_draft_on_its_own(
        committed_db, committed_client, celery_worker, smtp_server):
    db = committed_db
    try:
        rep = await make_user(db, full_name="Rita Schulz")
        rep_seen = SimpleNamespace(id=rep.id, role=rep.role, email=rep.email)
        channel = await make_smtp_channel(db, settings={"smtp": {"host": "127.0.0.1", "port": smtp_server.port,
                                                                 "security": "none"}})
        await make_product(db)
        message = await classified_message(db, text=QUESTION, confidence=0.75, channel=channel)
        suggestion = await decide_message(db, message.id)
        assert suggestion.status == "pending"
        suggestion_id = suggestion.id
        await commit(db)
        answered = await committed_client.post(f"/api/v1/conversations/{message.conversation_id}/messages",
                                               headers=auth_headers(rep_seen), json={"text": "18.00 EUR a pair."})
        assert answered.status_code == 201, answered.text

        async def retired():
            db.expire_all()
            status = await _status(db, suggestion_id)
            await db.commit()
            return status if status == "superseded" else None
        assert await eventually(retired, within=60) == "superseded"
        assert len(smtp_server.inbox.received) == 1  # only the person's reply went out
    finally:
        await db.rollback()
        async with db.bind.begin() as conn:  # the audit trail refuses the fixture's row deletes
            await conn.execute(text("TRUNCATE reply_suggestion_audit"))
