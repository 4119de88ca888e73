"""Today: one response with the caller's leads, churn risks, opportunities, overdue escalations and tasks."""

from decimal import Decimal

from mancrel.activity.models import Activity, ActivityType
from mancrel.core.permissions import Role
from mancrel.insights import churn, leads, opportunities
from mancrel.reply.models import Escalation, Suggestion
from tests.contact.factories import quick_user
from tests.factories import auth_headers
from tests.insights.crm_history import days_ago, deal, message, person, purchases


async def _world(db, owner):
    """One of each for `owner`: a lead, a quiet regular customer, a pricing question, an overdue task
    and an overdue escalation."""
    lead = await person(db, owner=owner, name="Lead")
    await deal(db, lead, created=days_ago(5), moves=[("Proposal", days_ago(2))])
    quiet = await person(db, owner=owner, name="Quiet")
    await purchases(db, quiet, [130, 160, 190, 220])
    asker = await person(db, owner=owner, name="Asker")
    asked = await message(db, asker, at=days_ago(1), intent="pricing", text="Price for 12?")
    task = Activity(type=ActivityType.task, subject="Call back", owner_id=owner.id, assignee_id=owner.id,
                    due_at=days_ago(1), occurred_at=days_ago(1), contact_id=lead.id)
    escalated = Activity(type=ActivityType.task, subject="Answer: Price for 12?", owner_id=owner.id,
                         assignee_id=owner.id, due_at=days_ago(0.1), occurred_at=days_ago(0.2), contact_id=asker.id)
    db.add_all([task, escalated])
    await db.flush()
    suggestion = Suggestion(message_id=asked.id, conversation_id=asked.conversation_id, contact_id=asker.id,
                            intent="pricing", confidence=Decimal("0.4"), decision="escalate", status="escalated",
                            reasons=["low confidence"])
    db.add(suggestion)
    await db.flush()
    db.add(Escalation(suggestion_id=suggestion.id, conversation_id=asked.conversation_id, task_id=escalated.id,
                      assignee_id=owner.id, priority="normal", due_at=days_ago(0.1)))
    await db.flush()
    return {"lead": lead, "quiet": quiet, "asker": asker, "task": task, "escalated": escalated, "asked": asked}


async def test_today_gathers_the_callers_work_and_nobody_elses(client, db):
    a, b = await quick_user(db), await quick_user(db)
    manager = await quick_user(db, role=Role.manager)
    mine, theirs = await _world(db, a), await _world(db, b)
    await leads.score(db)
    await churn.run(db)
    await opportunities.run(db)

    response = await client.get("/api/v1/insights/today", headers=auth_headers(a))
    assert response.status_code == 200, response.text
    today = response.json()
    assert str(mine["lead"].id) in {i["contact"]["id"] for i in today["leads"]}
    assert [i["contact"]["id"] for i in today["churn"]] == [str(mine["quiet"].id)]
    assert [i["contact"]["id"] for i in today["opportunities"]] == [str(mine["asker"].id)]
    assert [t["id"] for t in today["overdue_escalations"]] == [str(mine["escalated"].id)]
    # The escalation opens the conversation the customer waits in; an ordinary task has none.
    assert today["overdue_escalations"][0]["conversation_id"] == str(mine["asked"].conversation_id)
    assert today["overdue_tasks"][0]["conversation_id"] is None
    # The churn alert's own task is due in two days: not overdue. The call-back is.
    assert [t["id"] for t in today["overdue_tasks"]] == [str(mine["task"].id)]
    assert all(str(record.id) not in response.text for record in theirs.values())

    everyone = (await client.get("/api/v1/insights/today", headers=auth_headers(manager))).json()
    assert {str(mine["quiet"].id), str(theirs["quiet"].id)} <= {i["contact"]["id"] for i in everyone["churn"]}
    assert everyone["overdue_tasks"] == []  # a manager's own tasks only: they hold none
