"""A reply that never reached the customer answered nothing: the lead score's "our replies took"
counts the wait until a reply that arrived, and churn's open issues count a conversation whose reply
failed and went to a person like an escalated one."""

from datetime import timedelta

from sqlalchemy import update

from mancrel.deal.models import DealStatus
from mancrel.inbox.models import Message
from mancrel.insights import lead_score_features
from mancrel.insights.churn_repository import ChurnRepository
from mancrel.reply.models import Suggestion
from tests.contact.factories import quick_user
from tests.insights.crm_history import days_ago, deal, message, person


async def test_a_failed_reply_does_not_count_as_an_answer_in_the_reply_time(db):
    rep = await quick_user(db)
    answered, bounced = await person(db, owner=rep), await person(db, owner=rep)
    asked = {}
    for contact in (answered, bounced):
        await deal(db, contact, created=days_ago(20))
        asked[contact.id] = await message(db, contact, at=days_ago(2), intent="pricing",
                                          replied_after=timedelta(hours=1))
    await db.execute(update(Message).where(  # the reply to `bounced` came back
        Message.direction == "outbound", Message.conversation_id == asked[bounced.id].conversation_id,
    ).values(status="failed", failure_reason="bounced: 550 5.1.1"))

    rows = {r["contact_id"]: r for r in await lead_score_features.signals_at(
        db, days_ago(0), [answered.id, bounced.id])}
    assert round(rows[answered.id]["reply_hours"]) == 1
    assert round(rows[bounced.id]["reply_hours"]) == 48  # still waiting, as if no reply was written


async def test_a_customers_conversation_whose_reply_failed_is_an_open_issue_for_a_person(db):
    customer = await person(db)
    await deal(db, customer, created=days_ago(90), closed=days_ago(60), status=DealStatus.won)
    question = await message(db, customer, at=days_ago(1), intent="shipping", text="Where is my order?")
    db.add(Suggestion(message_id=question.id, conversation_id=question.conversation_id, contact_id=customer.id,
                      intent="shipping", confidence=0.97, decision="auto_send", status="send_failed",
                      reasons=["reply failed: bounced: 550 5.1.1"]))
    await db.flush()

    (issue,) = (await ChurnRepository(db).open_issues(days_ago(0)))[customer.id]
    assert issue.escalated and issue.conversation_id == question.conversation_id
