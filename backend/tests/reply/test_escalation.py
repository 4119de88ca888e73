"""Escalation with teams: the message goes to the team that answers its intent, with a task and a
due time; a task left undone past its due time is re-routed by the beat job, and counted."""

from datetime import timedelta

from prometheus_client import REGISTRY
from sqlalchemy import select, text

from mancrel.activity.models import Activity
from mancrel.core.db import commit, utcnow
from mancrel.core.permissions import Role
from mancrel.inbox.models import Conversation
from mancrel.reply import overdue
from mancrel.reply.decision import decide_message
from mancrel.reply.models import Escalation, SuggestionAudit
from mancrel.team import service as team_service
from mancrel.team.schemas import TeamCreate
from mancrel.worker.app import BEAT_SCHEDULE
from tests.factories import make_user
from tests.reply.factories import classified_message, make_product

COMPLAINT = "The Merino Hiking Socks I got have a hole in them, this is not acceptable."


async def _team(db, members, *, intents=("complaint",), manager=None):
    admin = await make_user(db, role=Role.admin)
    return await team_service.create(db, actor=admin, data=TeamCreate(
        name=f"Care {members[0].id.hex[:6]}", member_ids=[m.id for m in members], intents=list(intents),
        manager_id=manager.id if manager else None))


async def _escalated(db, *, owner, intent="complaint", priority="high"):
    await make_product(db)
    message = await classified_message(db, text=COMPLAINT, intent=intent, confidence=0.41, owner=owner,
                                       priority=priority)
    suggestion = await decide_message(db, message.id)
    assert suggestion.decision == "escalate"
    escalation = await db.scalar(select(Escalation).where(Escalation.suggestion_id == suggestion.id))
    return message, suggestion, escalation


async def test_an_escalation_goes_to_the_team_that_answers_the_intent_when_the_owner_is_not_in_it(db):
    owner, ann = await make_user(db), await make_user(db)
    team = await _team(db, [ann])
    message, _, escalation = await _escalated(db, owner=owner)
    conversation = await db.get(Conversation, message.conversation_id)
    task = await db.get(Activity, escalation.task_id)
    assert conversation.assignee_id == ann.id
    assert (task.assignee_id, task.owner_id, escalation.team_id) == (ann.id, owner.id, team.id)
    assert timedelta(hours=3, minutes=59) < task.due_at - utcnow() <= timedelta(hours=4)  # high: 4 h


async def test_the_contacts_owner_keeps_it_when_in_the_team(db):
    owner, ann = await make_user(db), await make_user(db)
    await _team(db, [ann, owner])
    message, _, escalation = await _escalated(db, owner=owner)
    assert (await db.get(Conversation, message.conversation_id)).assignee_id == owner.id
    assert escalation.assignee_id == owner.id


async def test_a_draft_waiting_for_approval_is_routed_to_the_team_too(db):
    owner, ann = await make_user(db), await make_user(db)
    await _team(db, [ann], intents=("pricing",))
    await make_product(db)
    message = await classified_message(db, text="How much are the Merino Hiking Socks?", confidence=0.75,
                                       owner=owner)
    suggestion = await decide_message(db, message.id)
    assert suggestion.status == "pending"
    assert (await db.get(Conversation, message.conversation_id)).assignee_id == ann.id


def _overdue_count() -> float:
    return REGISTRY.get_sample_value("mancrel_escalations_rerouted_total") or 0.0


async def test_an_overdue_escalation_goes_to_the_next_member_with_a_new_due_time_and_is_counted(committed_db):
    db = committed_db
    owner, ann, bob = await make_user(db), await make_user(db), await make_user(db)
    await _team(db, [ann, bob])
    message, suggestion, escalation = await _escalated(db, owner=owner, priority="urgent")
    suggestion_id = suggestion.id
    first, members = escalation.assignee_id, {ann.id, bob.id}
    task_id, escalation_id, conversation_id = escalation.task_id, escalation.id, message.conversation_id
    task = await db.get(Activity, task_id)
    task.due_at = escalation.due_at = utcnow() - timedelta(minutes=5)  # nobody answered within the hour
    await commit(db)
    try:
        before = _overdue_count()
        assert await overdue.reroute_overdue(db, now=utcnow()) == 1
        assert _overdue_count() == before  # not counted until the re-route is committed
        await commit(db)
        assert _overdue_count() == before + 1
        db.expire_all()
        task, escalation = await db.get(Activity, task_id), await db.get(Escalation, escalation_id)
        second = (members - {first}).pop()
        assert (task.assignee_id, escalation.assignee_id, escalation.reroutes) == (second, second, 1)
        assert timedelta(minutes=59) < task.due_at - utcnow() <= timedelta(hours=1)
        assert (await db.get(Conversation, conversation_id)).assignee_id == second
        actions = list(await db.scalars(select(SuggestionAudit.action).where(
            SuggestionAudit.suggestion_id == suggestion_id).order_by(SuggestionAudit.occurred_at)))
        assert actions == ["decided", "escalated", "rerouted"]
        assert await overdue.reroute_overdue(db, now=utcnow()) == 0  # not due again yet
        task.done_at = utcnow()  # the second member answers and closes the task
        escalation.due_at = utcnow() - timedelta(seconds=1)
        assert await overdue.reroute_overdue(db, now=utcnow()) == 0
        assert escalation.resolved_at is not None
        await commit(db)
    finally:
        await db.rollback()
        async with db.bind.begin() as conn:
            await conn.execute(text("TRUNCATE reply_suggestion_audit"))


async def test_with_nobody_else_available_the_teams_manager_takes_an_overdue_escalation(db):
    owner, ann, boss = await make_user(db), await make_user(db), await make_user(db, role=Role.manager)
    await _team(db, [ann], manager=boss)
    await db.execute(text("UPDATE users SET is_active = false WHERE id = :id"), {"id": ann.id})
    _, _, escalation = await _escalated(db, owner=owner)
    assert escalation.assignee_id == boss.id  # ann is gone: the manager takes it from the start
    escalation.due_at = utcnow() - timedelta(minutes=1)
    assert await overdue.reroute_overdue(db, now=utcnow()) == 1
    assert escalation.assignee_id == boss.id and escalation.reroutes == 1


def test_the_beat_job_runs_every_minute():
    assert BEAT_SCHEDULE["reply-reroute-overdue"] == {"task": "reply.reroute_overdue", "schedule": 60.0}
