"""Tasks the reply step opened name their conversation, so My tasks can open it (findings M7)."""

from decimal import Decimal

from mancrel.activity.models import Activity, ActivityType
from mancrel.core.permissions import Role
from mancrel.reply.models import Escalation, Suggestion
from tests.factories import auth_headers, make_user
from tests.insights.crm_history import days_ago, message, person


def _task(owner, contact, subject: str) -> Activity:
    return Activity(type=ActivityType.task, subject=subject, owner_id=owner.id, assignee_id=owner.id,
                    due_at=days_ago(-1), occurred_at=days_ago(0.1), contact_id=contact.id)


async def test_escalation_and_failed_reply_tasks_link_their_conversation(client, db):
    rep = await make_user(db, role=Role.rep)
    asker = await person(db, owner=rep, name="Laura")
    asked = await message(db, asker, at=days_ago(0.2), intent="complaint", text="Wrong item!")
    failed = await message(db, asker, at=days_ago(0.1), text="Where is my parcel?")
    escalated, follow_up, plain = (_task(rep, asker, "Answer: Wrong item!"), _task(rep, asker, "Reply failed"),
                                   _task(rep, asker, "Call back"))
    db.add_all([escalated, follow_up, plain])
    await db.flush()
    suggestion = Suggestion(message_id=asked.id, conversation_id=asked.conversation_id, contact_id=asker.id,
                            intent="complaint", confidence=Decimal("0.4"), decision="escalate", status="escalated",
                            reasons=["low confidence"])
    db.add(suggestion)
    await db.flush()
    db.add(Escalation(suggestion_id=suggestion.id, conversation_id=asked.conversation_id, task_id=escalated.id,
                      assignee_id=rep.id, priority="high", due_at=days_ago(-1)))
    failed.follow_up_task_id = follow_up.id
    await db.flush()

    mine = (await client.get("/api/v1/activities/mine", headers=auth_headers(rep))).json()
    links = {t["subject"]: t["conversation_id"] for group in mine.values() for t in group}
    assert links == {"Answer: Wrong item!": str(asked.conversation_id),
                     "Reply failed": str(failed.conversation_id), "Call back": None}
    listed = (await client.get(f"/api/v1/activities?contact_id={asker.id}", headers=auth_headers(rep))).json()
    assert {t["subject"]: t["conversation_id"] for t in listed["items"]} == links
    one = (await client.get(f"/api/v1/activities/{escalated.id}", headers=auth_headers(rep))).json()
    assert one["conversation_id"] == str(asked.conversation_id)
    timeline = (await client.get(f"/api/v1/contacts/{asker.id}/timeline", headers=auth_headers(rep))).json()
    on_timeline = {e["data"]["subject"]: e["data"]["conversation_id"]
                   for e in timeline["items"] if e["kind"] == "activity"}
    assert on_timeline == links
