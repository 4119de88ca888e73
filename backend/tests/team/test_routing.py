"""Routing: the contact's owner when in the intent's team, otherwise the team's next available
member in turn (active, inside working hours), the team's manager or an admin when nobody is,
and the contact's owner when no team answers the intent (the least busy manager, else an admin, when
the contact has no active owner)."""

import asyncio
import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker

from mancrel.activity import service as activity_service
from mancrel.activity.models import ActivityType
from mancrel.activity.schemas import ActivityCreate
from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from mancrel.team import routing
from mancrel.team import service as team_service
from mancrel.team.repository import TeamRepository
from mancrel.team.routing import next_in_turn
from mancrel.team.schemas import TeamCreate, WorkingHours
from tests.factories import make_user

MONDAY_10_BERLIN = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
MONDAY_20_BERLIN = datetime(2026, 12, 7, 19, 0, tzinfo=UTC)
OFFICE = {"timezone": "Europe/Berlin", "days": {"mon": [{"start": "09:00", "end": "17:00"}]}}


async def _team(db, members, **fields):
    admin = await make_user(db, role=Role.admin)
    data = TeamCreate(name=fields.pop("name", "Returns desk"), member_ids=[m.id for m in members],
                      intents=fields.pop("intents", ["returns_refund"]), **fields)
    return await team_service.create(db, data=data, actor=admin)


async def test_the_owner_keeps_the_message_when_in_the_team_and_others_take_turns(db):
    ann, bob, cat, outsider = [await make_user(db) for _ in range(4)]
    await _team(db, [ann, bob, cat])
    kept = await routing.route(db, intent="returns_refund", owner_id=bob.id, at=utcnow())
    assert kept.user_id == bob.id
    turns = [(await routing.route(db, intent="returns_refund", owner_id=outsider.id, at=utcnow())).user_id
             for _ in range(6)]
    assert sorted(turns[:3], key=str) == sorted([ann.id, bob.id, cat.id], key=str)  # each once ...
    assert turns[3:] == turns[:3]                                                 # ... then again in order
    assert outsider.id not in turns


async def test_no_team_for_the_intent_leaves_it_with_the_contacts_owner(db):
    ann, owner = await make_user(db), await make_user(db)
    await _team(db, [ann])
    chosen = await routing.route(db, intent="pricing", owner_id=owner.id, at=utcnow())
    assert (chosen.user_id, chosen.team_id) == (owner.id, None)


async def test_an_unowned_contacts_message_with_no_team_goes_to_the_least_busy_manager(db):
    # Every new lead from mail has no owner: before, its escalation was nobody's task and waited on everybody.
    busy, free = await make_user(db, role=Role.manager), await make_user(db, role=Role.manager)
    await make_user(db, role=Role.admin)
    await activity_service.create(db, actor=busy, data=ActivityCreate(
        type=ActivityType.task, subject="Call back", due_at=utcnow(), assignee_id=busy.id))
    chosen = await routing.route(db, intent="pricing", owner_id=None, at=utcnow())
    assert (chosen.user_id, chosen.team_id) == (free.id, None) and "manager" in chosen.reason
    # The one who let it go overdue is skipped; an owner who left is no owner.
    assert (await routing.route(db, intent="pricing", owner_id=None, at=utcnow(), exclude=free.id)).user_id == busy.id
    gone = await make_user(db, is_active=False)
    assert (await routing.route(db, intent="pricing", owner_id=gone.id, at=utcnow())).user_id == free.id


async def test_outside_working_hours_the_manager_takes_it_and_inactive_members_are_skipped(db):
    ann, bob, boss = await make_user(db), await make_user(db, is_active=False), await make_user(db, role=Role.manager)
    await _team(db, [ann], working_hours=WorkingHours.model_validate(OFFICE), manager_id=boss.id)
    team_id = await TeamRepository(db).team_for_intent("returns_refund")
    await TeamRepository(db).set_members(team_id, [ann.id, bob.id])  # bob left the company since
    at_work = [(await routing.route(db, intent="returns_refund", owner_id=None, at=MONDAY_10_BERLIN)).user_id
               for _ in range(3)]
    assert at_work == [ann.id] * 3
    evening = await routing.route(db, intent="returns_refund", owner_id=None, at=MONDAY_20_BERLIN)
    assert evening.user_id == boss.id and "manager" in evening.reason


async def test_with_nobody_available_and_no_manager_an_admin_takes_it(db):
    ann = await make_user(db)
    await _team(db, [ann], working_hours=WorkingHours.model_validate(OFFICE))
    chosen = await routing.route(db, intent="returns_refund", owner_id=None, at=MONDAY_20_BERLIN)
    assert chosen.user_id is not None and "admin" in chosen.reason


async def test_an_overdue_holder_is_passed_over_while_someone_else_can_take_it(db):
    ann, bob = await make_user(db), await make_user(db)
    await _team(db, [ann, bob])
    for _ in range(3):
        assert (await routing.route(db, intent="returns_refund", owner_id=ann.id, at=utcnow(),
                                    exclude=ann.id)).user_id == bob.id


def test_turns_wrap_round_and_skip_the_unavailable():
    ordered = sorted((uuid.uuid4() for _ in range(3)), key=str)
    assert next_in_turn(ordered, set(ordered), None) == ordered[0]
    assert next_in_turn(ordered, set(ordered), ordered[2]) == ordered[0]
    assert next_in_turn(ordered, {ordered[0]}, ordered[0]) == ordered[0]
    assert next_in_turn(ordered, set(), ordered[0]) is None


async def test_workers_routing_at_once_share_the_work_fairly(committed_db, engine):
    """Twenty messages routed by twenty concurrent transactions (as on several workers): the team
    row's lock makes them take turns, so each of four members gets exactly five."""
    members = [await make_user(committed_db) for _ in range(4)]
    team = await _team(committed_db, members, name="Concurrent desk", intents=["partnership"])
    await committed_db.commit()
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def one() -> object:
        async with sessions() as session, session.begin():
            return (await routing.route(session, intent="partnership", owner_id=None, at=utcnow())).user_id

    chosen = await asyncio.gather(*(one() for _ in range(20)))
    assert sorted(chosen.count(m.id) for m in members) == [5, 5, 5, 5]
    assert team.id  # the rows are removed by committed_db's cleanup
