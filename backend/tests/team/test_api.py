"""/api/v1/teams: admins create, change and delete teams; managers read them; reps may not."""

import uuid

from mancrel.core.permissions import Role
from tests.factories import auth_headers, make_user

HOURS = {"timezone": "Europe/Berlin", "days": {"mon": [{"start": "09:00:00", "end": "12:30:00"},
                                                      {"start": "13:30:00", "end": "17:00:00"}],
                                               "fri": [{"start": "09:00:00", "end": "15:00:00"}]}}


async def _create(client, admin, **fields):
    body = {"name": "Returns desk", "member_ids": [], "intents": ["returns_refund"]} | fields
    return await client.post("/api/v1/teams", json=body, headers=auth_headers(admin))


async def test_an_admin_creates_a_team_that_a_manager_reads_and_a_rep_cannot(client, db):
    admin = await make_user(db, role=Role.admin)
    manager = await make_user(db, role=Role.manager)
    rep = await make_user(db)
    created = await _create(client, admin, member_ids=[str(rep.id), str(manager.id)],
                            intents=["returns_refund", "complaint"], working_hours=HOURS, manager_id=str(manager.id))
    assert created.status_code == 201, created.text
    team = created.json()
    assert sorted(team["member_ids"]) == sorted([str(rep.id), str(manager.id)])
    assert team["intents"] == ["complaint", "returns_refund"] and team["working_hours"] == HOURS
    listed = await client.get("/api/v1/teams", headers=auth_headers(manager))
    assert [t["id"] for t in listed.json()] == [team["id"]]
    assert (await client.get(f"/api/v1/teams/{team['id']}", headers=auth_headers(manager))).json() == team
    assert (await client.get("/api/v1/teams", headers=auth_headers(rep))).status_code == 403
    assert (await _create(client, manager, name="Other")).status_code == 403


async def test_an_intent_belongs_to_one_team(client, db):
    admin = await make_user(db, role=Role.admin)
    assert (await _create(client, admin)).status_code == 201
    second = await _create(client, admin, name="Complaints", intents=["complaint", "returns_refund"])
    assert second.status_code == 409
    assert second.json()["type"].endswith("intent-owned-by-another-team")
    assert len((await client.get("/api/v1/teams", headers=auth_headers(admin))).json()) == 1  # nothing written


async def test_bad_teams_are_refused_with_the_field_named(client, db):
    admin = await make_user(db, role=Role.admin)
    gone = await make_user(db, is_active=False)
    unknown_intent = await _create(client, admin, intents=["world_peace"])
    assert unknown_intent.status_code == 422 and "world_peace" in unknown_intent.text
    bad_day = await _create(client, admin, working_hours={"timezone": "UTC", "days": {"caturday": []}})
    assert bad_day.status_code == 422 and "caturday" in bad_day.text
    backwards = await _create(client, admin, working_hours={"days": {"mon": [{"start": "17:00", "end": "09:00"}]}})
    assert backwards.status_code == 422 and "start must be before end" in backwards.text
    bad_zone = await _create(client, admin, working_hours={"timezone": "Mars/Olympus", "days": {}})
    assert bad_zone.status_code == 422
    inactive = await _create(client, admin, member_ids=[str(gone.id)])
    assert inactive.status_code == 422 and str(gone.id) in inactive.text
    assert (await _create(client, admin, member_ids=[str(uuid.uuid4())])).status_code == 422
    assert (await _create(client, admin)).status_code == 201
    assert (await _create(client, admin, intents=[])).status_code == 409  # the name is taken


async def test_an_admin_changes_members_intents_and_hours_then_deletes_the_team(client, db):
    admin = await make_user(db, role=Role.admin)
    ann, bob = await make_user(db), await make_user(db)
    team = (await _create(client, admin, member_ids=[str(ann.id)], working_hours=HOURS)).json()
    changed = await client.patch(f"/api/v1/teams/{team['id']}", headers=auth_headers(admin), json={
        "member_ids": [str(bob.id)], "intents": ["complaint"], "working_hours": None})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["member_ids"], changed.json()["intents"], changed.json()["working_hours"]) == (
        [str(bob.id)], ["complaint"], None)
    assert changed.json()["name"] == "Returns desk"  # what the change did not name stays
    # returns_refund is free again: another team may take it
    assert (await _create(client, admin, name="Returns two")).status_code == 201
    assert (await client.delete(f"/api/v1/teams/{team['id']}", headers=auth_headers(admin))).status_code == 204
    missing = await client.get(f"/api/v1/teams/{team['id']}", headers=auth_headers(admin))
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
