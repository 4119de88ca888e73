"""`near_limit`, the confidence part that says an answer was close to the out-of-scope limit and so
held to a stricter anchor (issue #19 point 2), from the shipped model's real prediction to every
reader: the classify answer, the inbox's messages and the reply decision's audit."""

from mancrel.ai.models import Classification
from mancrel.core.permissions import Role
from mancrel.inbox.processing import process_waiting
from mancrel.reply.decision import decide_message
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, make_contact, receive

# A shop word (parcel) in a question the head finds a quarter out of scope: near the limit.
NEAR = "My cat sat on the parcel, is that covered?"
# A plain shop question, like the intent's examples and nowhere near out of scope.
CLEAR = "Do you ship to Norway, and how long does delivery take?"


async def test_the_classify_answer_and_the_stored_row_say_whether_it_was_near_the_limit(client, db, active_model):
    rep = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    near, clear = [(await client.post("/api/v1/ai/classify", headers=headers, json={"text": text})).json()
                   for text in (NEAR, CLEAR)]
    assert near["out_of_scope"] is False and near["near_limit"] is True
    assert near["confidence"] < 0.90  # held under the top end: no reply leaves without a person
    assert clear["near_limit"] is False and clear["confidence"] >= 0.90
    assert [(await db.get(Classification, answer["id"])).near_limit for answer in (near, clear)] == [True, False]
    listed = (await client.get("/api/v1/ai/classifications", headers=headers)).json()["items"]
    assert {item["id"]: item["near_limit"] for item in listed} == {near["id"]: True, clear["id"]: False}


async def test_an_inbox_message_and_its_reply_decision_carry_near_limit(client, db, active_model):
    rep = await make_user(db, role=Role.rep)
    channel = await make_channel(db, owner=rep)
    messages = {}
    for name, text in (("near", NEAR), ("clear", CLEAR)):
        sender = f"{name}.buyer@customer.example"
        await make_contact(db, owner=rep, email=sender)
        messages[name] = await receive(db, channel, inbound(sender, subject=f"About my {name} order", text=text))
    await process_waiting(db, first=messages["near"].id)  # ai.process_message: one batch, the real model
    for name, expected in (("near", True), ("clear", False)):
        message = messages[name]
        page = (await client.get(f"/api/v1/conversations/{message.conversation_id}/messages",
                                 headers=auth_headers(rep))).json()["items"]
        (shown,) = [m for m in page if m["id"] == str(message.id)]
        assert shown["classification"]["near_limit"] is expected, name
        suggestion = await decide_message(db, message.id)
        read = (await client.get(f"/api/v1/suggestions/{suggestion.id}", headers=auth_headers(rep))).json()
        assert read["confidence_parts"]["near_limit"] is expected, name
        trail = (await client.get(f"/api/v1/suggestions/{suggestion.id}/audit", headers=auth_headers(rep))).json()
        (decided,) = [step for step in trail if step["action"] == "decided"]
        assert decided["data"]["confidence_parts"]["near_limit"] is expected, name
    # Near the limit, it was not sent on without a person (held for approval or escalated).
    assert (await decide_message(db, messages["near"].id)).decision != "auto_send"
