"""The visibility rule every domain reuses, checked against real rows in PostgreSQL."""

import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import Column, MetaData, String, Table, Uuid, select

from mancrel.core.permissions import Role, can_assign_to, can_see, visible_filter
from tests.factories import make_user

notes = Table("test_visibility_notes", MetaData(),
              Column("id", Uuid, primary_key=True), Column("title", String),
              Column("owner_id", Uuid, nullable=True))


@pytest.fixture
async def rows(db):
    await db.run_sync(lambda s: notes.create(s.connection()))
    rep, other = uuid.uuid4(), uuid.uuid4()
    await db.execute(notes.insert(), [
        {"id": uuid.uuid4(), "title": "mine", "owner_id": rep},
        {"id": uuid.uuid4(), "title": "theirs", "owner_id": other},
        {"id": uuid.uuid4(), "title": "unassigned", "owner_id": None},
    ])
    return rep


@pytest.mark.parametrize(("role", "expected"), [
    (Role.rep, {"mine", "unassigned"}),
    (Role.manager, {"mine", "theirs", "unassigned"}),
    (Role.admin, {"mine", "theirs", "unassigned"}),
])
async def test_reps_see_own_and_unassigned_managers_and_admins_see_all(db, rows, role, expected):
    actor = SimpleNamespace(id=rows, role=role)  # the owner of "mine"
    titles = set(await db.scalars(select(notes.c.title).where(visible_filter(notes.c, actor))))
    assert titles == expected
    for row in (await db.execute(select(notes))).all():
        assert can_see(row, actor) == (row.title in expected)


async def test_reps_cannot_hand_records_to_someone_else(db):
    rep = await make_user(db, role=Role.rep)
    manager = await make_user(db, role=Role.manager)
    assert can_assign_to(rep, rep.id) and can_assign_to(rep, None)
    assert not can_assign_to(rep, manager.id)
    assert can_assign_to(manager, rep.id)
