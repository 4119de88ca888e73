"""`reply.decide` on one classified message (the job's function, on the test's transaction):
what is sent, held for approval, escalated or ignored, and why."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from mancrel.activity.models import Activity
from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from mancrel.inbox.models import Conversation, Direction, Message
from mancrel.reply import policy as reply_policy
from mancrel.reply.decision import decide_message
from mancrel.reply.escalation import due_at
from mancrel.reply.models import SuggestionAudit
from mancrel.reply.policy import PolicyUpdate
from mancrel.worker.models import OutboxMessage
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, receive
from tests.reply.factories import classified_message, make_knowledge, make_product

QUESTION = "Hi, how much are the Merino Hiking Socks?"


async def _outbound(db, conversation_id) -> list[Message]:
    return list(await db.scalars(select(Message).where(Message.conversation_id == conversation_id,
                                                       Message.direction == Direction.outbound)))


async def _set(db, **changes):
    admin = await make_user(db, role=Role.admin)
    await reply_policy.update(db, data=PolicyUpdate(**changes), actor=admin)


async def test_a_confident_grounded_price_answer_is_sent_with_the_current_price_and_stock(db):
    await make_product(db, price="18.00", stock=7)
    message = await classified_message(db, text=QUESTION, confidence=0.93, first_name="Ada")
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status) == ("auto_send", "sent")
    (sent,) = await _outbound(db, message.conversation_id)
    assert sent.id == suggestion.sent_message_id and sent.author_id is None and sent.status == "queued"
    assert sent.text.startswith("Hi Ada,") and "18.00 EUR" in sent.text and "7 in stock" in sent.text
    assert await db.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.task_name == "email.send_message")) == 1
    assert {f["field"]: f["value"] for f in suggestion.facts if f.get("sku")} == {"price": "18.00 EUR", "stock": 7}
    actions = list(await db.scalars(select(SuggestionAudit.action).where(SuggestionAudit.suggestion_id == suggestion.id)
                                    .order_by(SuggestionAudit.occurred_at)))
    assert actions == ["decided", "sent"]


async def test_deciding_the_same_message_again_sends_nothing_more(db):
    await make_product(db)
    message = await classified_message(db, text=QUESTION, confidence=0.95)
    first = await decide_message(db, message.id)
    again = await decide_message(db, message.id)
    assert again.id == first.id and len(await _outbound(db, message.conversation_id)) == 1


async def test_never_two_automatic_replies_in_a_row_in_one_conversation(db):
    await make_product(db)
    channel = await make_channel(db)
    first = await classified_message(db, text=QUESTION, channel=channel, sender="ann@customer.example",
                                     subject="Socks")
    await decide_message(db, first.id)
    follow_up = await receive(db, channel, inbound("ann@customer.example", subject="Re: Socks",
                                                   text="And the Merino Hiking Socks price again?"))
    follow_up.classification_id = first.classification_id
    suggestion = await decide_message(db, follow_up.id)
    assert follow_up.conversation_id == first.conversation_id
    assert (suggestion.decision, suggestion.status) == ("approval", "pending")
    assert "the last reply in this conversation was automatic" in suggestion.reasons[0]
    assert len(await _outbound(db, first.conversation_id)) == 1


async def test_the_daily_cap_per_contact_holds_back_further_automatic_replies(db):
    await make_product(db)
    await _set(db, daily_auto_replies_per_contact=1)
    channel = await make_channel(db)
    first = await classified_message(db, text=QUESTION, channel=channel, sender="bo@customer.example", subject="A")
    assert (await decide_message(db, first.id)).status == "sent"
    second = await receive(db, channel, inbound("bo@customer.example", subject="B, another topic", text=QUESTION))
    second.classification_id = first.classification_id
    suggestion = await decide_message(db, second.id)
    assert second.conversation_id != first.conversation_id
    assert suggestion.status == "pending" and "cap 1" in suggestion.reasons[0]


async def test_shadow_mode_decides_and_records_but_sends_nothing(db):
    await make_product(db)
    await _set(db, mode="shadow")
    message = await classified_message(db, text=QUESTION, confidence=0.97)
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status) == ("auto_send", "shadow")
    assert suggestion.draft_text and await _outbound(db, message.conversation_id) == []


async def test_mode_off_records_nothing(db):
    await _set(db, mode="off")
    message = await classified_message(db, text=QUESTION)
    assert await decide_message(db, message.id) is None


async def test_a_per_intent_rule_holds_a_confident_answer_for_approval(db):
    await make_knowledge(db, topic="returns", intents=("returns_refund",), body="Returns are free within 30 days.")
    message = await classified_message(db, text="Can I return my socks?", intent="returns_refund", confidence=0.98)
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status) == ("approval", "pending")
    assert "Returns are free within 30 days." in suggestion.draft_text and suggestion.grounding["ok"] is True
    assert await _outbound(db, message.conversation_id) == []


async def test_spam_is_ignored(db):
    message = await classified_message(db, text="Cheap followers, click here", intent="spam", confidence=0.99)
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status, suggestion.draft_text) == ("ignore", "ignored", None)


async def test_low_confidence_escalates_to_the_contacts_owner_with_a_task_and_no_draft(db):
    rep = await make_user(db)
    await make_product(db)
    message = await classified_message(db, text=QUESTION, confidence=0.59, owner=rep, priority="urgent")
    before = utcnow()
    suggestion = await decide_message(db, message.id)
    conversation = await db.get(Conversation, message.conversation_id)
    assert (suggestion.decision, suggestion.status, suggestion.draft_text) == ("escalate", "escalated", None)
    assert conversation.assignee_id == rep.id and await _outbound(db, message.conversation_id) == []
    task = await db.scalar(select(Activity).where(Activity.contact_id == conversation.contact_id))
    assert (task.type, task.assignee_id, task.owner_id, task.done_at) == ("task", rep.id, rep.id, None)
    assert timedelta(minutes=59) < task.due_at - before < timedelta(minutes=61)  # urgent: one hour
    assert "confidence 59% is below the approval threshold 60%" in task.body


def test_due_times_follow_the_priority_in_business_days():
    friday = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    assert due_at("high", friday) == friday + timedelta(hours=4)
    assert due_at("normal", friday) == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # Monday
    assert due_at("low", friday) == datetime(2026, 12, 9, 15, 0, tzinfo=UTC)     # Wednesday


async def test_quiet_hours_hold_an_automatic_reply_for_a_person(db):
    await make_product(db)
    now = utcnow()
    window = {"start": f"{now - timedelta(hours=1):%H:%M}", "end": f"{now + timedelta(hours=1):%H:%M}",
              "timezone": "UTC"}
    await _set(db, quiet_hours=window)
    message = await classified_message(db, text=QUESTION, confidence=0.97)
    suggestion = await decide_message(db, message.id)
    assert suggestion.status == "pending" and suggestion.reasons[0].startswith("quiet hours")
    await _set(db, quiet_hours=None)
    later = await classified_message(db, text=QUESTION, confidence=0.97)
    assert (await decide_message(db, later.id)).status == "sent"


async def test_a_message_in_another_language_is_a_humans(db):
    await make_product(db)
    message = await classified_message(db, text="Wie viel kosten die Merino Hiking Socks?", language="de",
                                       confidence=0.95)
    suggestion = await decide_message(db, message.id)
    assert suggestion.decision == "escalate" and "English only" in suggestion.reasons[0]


async def test_a_question_about_a_product_we_do_not_sell_escalates(db):
    message = await classified_message(db, text="How much is the Quantum Kayak 3000?", confidence=0.95)
    suggestion = await decide_message(db, message.id)
    assert suggestion.decision == "escalate"
    assert suggestion.reasons == ["no product from the catalogue matches the question"]


async def test_our_own_address_writing_in_is_never_answered(db):
    channel = await make_channel(db)
    message = await classified_message(db, text=QUESTION, channel=channel, sender=channel.settings["address"])
    suggestion = await decide_message(db, message.id)
    assert suggestion.decision == "ignore" and "own address" in suggestion.reasons[0]


async def test_a_contact_marked_never_auto_reply_is_answered_by_a_person(client, db):
    rep = await make_user(db)
    await make_product(db)
    message = await classified_message(db, text=QUESTION, confidence=0.97, owner=rep)
    conversation = await db.get(Conversation, message.conversation_id)
    url = f"/api/v1/ai/contacts/{conversation.contact_id}/reply-preferences"
    assert (await client.get(url, headers=auth_headers(rep))).json() == {"never_auto_reply": False}
    marked = await client.put(url, headers=auth_headers(rep), json={"never_auto_reply": True})
    assert marked.status_code == 200
    stranger = await make_user(db)
    assert (await client.put(url, headers=auth_headers(stranger), json={"never_auto_reply": False})).status_code == 404
    suggestion = await decide_message(db, message.id)
    assert suggestion.status == "pending" and suggestion.reasons == ["this contact is never answered automatically"]
    assert await _outbound(db, message.conversation_id) == []


async def test_a_whatsapp_question_answered_after_the_24_hour_window_waits_for_a_person(db):
    await make_product(db)
    channel = await make_channel(db)
    message = await classified_message(db, text=QUESTION, confidence=0.97, channel=channel)
    channel.kind = "whatsapp"  # the same question, on a chat channel whose window has passed
    conversation = await db.get(Conversation, message.conversation_id)
    conversation.last_inbound_at = utcnow() - timedelta(hours=24, seconds=1)
    await db.flush()
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status) == ("approval", "pending")
    assert suggestion.reasons[0].startswith("window closed") and await _outbound(db, conversation.id) == []


async def test_a_messenger_question_decided_days_late_waits_for_a_person_and_is_never_tagged(db):
    # A backlog decides it three days after the customer wrote: a person may still answer (Messenger's
    # HUMAN_AGENT tag, 7 days), but an automatic reply goes only inside the 24 hours, never tagged.
    await make_product(db)
    channel = await make_channel(db)
    message = await classified_message(db, text=QUESTION, confidence=0.97, channel=channel)
    channel.kind, channel.settings = "messenger", {"page_id": "102938475610"}
    conversation = await db.get(Conversation, message.conversation_id)
    conversation.last_inbound_at = utcnow() - timedelta(days=3)
    await db.flush()
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status) == ("approval", "pending")
    assert suggestion.reasons[0].startswith("window closed") and await _outbound(db, conversation.id) == []


async def test_a_support_answer_that_leaves_out_the_product_asked_about_waits_for_a_person(db):
    # A confident "support" question about a named product, answered with a policy text alone: true, but
    # not an answer to "how do I ...", so it must not leave on its own (found by the team-written set, rq-063).
    await make_product(db)
    await make_knowledge(db, topic="warranty", intents=("support",),
                         body="Every product carries a two-year warranty; write to us with your order number.")
    message = await classified_message(db, text="How do I wash the Merino Hiking Socks so they keep their shape?",
                                       intent="support", confidence=0.99)
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status) == ("approval", "pending")
    assert suggestion.reasons == ["the draft does not mention the product the customer asked about",
                                  "the draft does not answer: washing"]
    assert await _outbound(db, message.conversation_id) == []
    # The same policy text answering a question that names no product still goes out on its own.
    general = await classified_message(db, text="What warranty do your products have?", intent="support",
                                       confidence=0.99)
    assert (await decide_message(db, general.id)).status == "sent"


async def test_a_shipping_answer_that_leaves_out_the_product_asked_about_waits_for_a_person(db):
    # "Can it go by air?" about a named product, answered with the general delivery text: the product may
    # change the answer (a battery, a bulky parcel), so a person looks first (team-written set, rq-051).
    await make_product(db)
    await make_knowledge(db, topic="shipping", intents=("shipping",),
                         body="We ship within 2 business days; delivery in the EU takes 3-5 business days.")
    message = await classified_message(db, text="Can the Merino Hiking Socks be sent to Norway by air?",
                                       intent="shipping", confidence=0.99)
    suggestion = await decide_message(db, message.id)
    assert (suggestion.decision, suggestion.status) == ("approval", "pending")
    assert suggestion.reasons == ["the draft does not mention the product the customer asked about",
                                  "the draft does not answer: shipping by air or express, delivery to Norway"]
    general = await classified_message(db, text="How long does delivery in the EU take?", intent="shipping",
                                       confidence=0.99)
    assert (await decide_message(db, general.id)).status == "sent"
