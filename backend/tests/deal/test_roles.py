"""Role matrix: each role x each deal/activity endpoint x an own, another's and an unassigned record.

Reps work on what they own and what is unassigned; another rep's record does not exist for
them (404). Managers and admins reach everything. Restoring is for managers and admins (403).
"""

import pytest

from mancrel.core.permissions import Role
from tests.deal.factories import make_contact, make_deal, stage_named
from tests.factories import auth_headers, make_user

ROLES = [Role.admin, Role.manager, Role.rep]
OWNERSHIP = ["own", "other", "unassigned"]


def expected(role: Role, ownership: str, ok: int) -> int:
    return 404 if role == Role.rep and ownership == "other" else ok


async def _setup(db, role: Role, ownership: str):
    caller = await make_user(db, role=role)
    someone = await make_user(db, role=Role.rep)
    owner = {"own": caller, "other": someone, "unassigned": None}[ownership]
    contact = await make_contact(db, owner=owner)
    deal = await make_deal(db, actor=await make_user(db, role=Role.manager), owner=owner, contact_id=contact.id)
    return caller, owner, contact, deal


@pytest.mark.parametrize("ownership", OWNERSHIP)
@pytest.mark.parametrize("role", ROLES)
async def test_deal_endpoints(client, db, role, ownership):
    caller, _, _, deal = await _setup(db, role, ownership)
    headers = auth_headers(caller)
    url = f"/api/v1/deals/{deal.id}"
    qualified, won = await stage_named(db, "Qualified"), await stage_named(db, "Won")
    calls = [
        ("get", client.get(url, headers=headers), 200),
        ("patch", client.patch(url, headers=headers, json={"amount": "1.00"}), 200),
        ("move", client.post(f"{url}/move", headers=headers, json={"stage_id": str(qualified.id)}), 200),
        ("won", client.post(f"{url}/won", headers=headers), 200),
        ("lost", client.post(f"{url}/lost", headers=headers, json={"reason": "budget"}), 200),
        ("timeline", client.get(f"{url}/timeline", headers=headers), 200),
    ]
    for name, call, ok in calls:
        response = await call
        assert response.status_code == expected(role, ownership, ok), name

    listed = (await client.get("/api/v1/deals", headers=headers)).json()["items"]
    assert (str(deal.id) in [d["id"] for d in listed]) == (expected(role, ownership, 200) == 200)
    board = (await client.get(f"/api/v1/pipelines/{won.pipeline_id}/board", headers=headers)).json()
    cards = [c["id"] for s in board["stages"] for c in s["cards"]]
    assert (str(deal.id) in cards) == (expected(role, ownership, 200) == 200)
    exported = (await client.get("/api/v1/deals/export.csv", headers=headers)).text
    assert (str(deal.id) in exported) == (expected(role, ownership, 200) == 200)

    assert (await client.delete(url, headers=headers)).status_code == expected(role, ownership, 204)
    restore = await client.post(f"{url}/restore", headers=headers)
    assert restore.status_code == (403 if role == Role.rep else 200)


@pytest.mark.parametrize("ownership", OWNERSHIP)
@pytest.mark.parametrize("role", ROLES)
async def test_activity_endpoints(client, db, role, ownership):
    caller, owner, contact, _ = await _setup(db, role, ownership)
    admin = await make_user(db, role=Role.admin)
    created = await client.post("/api/v1/activities", headers=auth_headers(admin), json={
        "type": "note", "subject": "Matrix", "owner_id": str(owner.id) if owner else None})
    activity = created.json()
    if owner is None:  # an activity nobody owns or must do
        assert activity["owner_id"] == str(admin.id)
        patched = await client.patch(f"/api/v1/activities/{activity['id']}", headers=auth_headers(admin),
                                     json={"owner_id": None})
        assert patched.json()["owner_id"] is None
    headers = auth_headers(caller)
    url = f"/api/v1/activities/{activity['id']}"
    assert (await client.get(url, headers=headers)).status_code == expected(role, ownership, 200)
    assert (await client.patch(url, headers=headers, json={"body": "edited"})).status_code == \
        expected(role, ownership, 200)
    listed = (await client.get("/api/v1/activities", headers=headers)).json()["items"]
    assert (activity["id"] in [a["id"] for a in listed]) == (expected(role, ownership, 200) == 200)
    assert (await client.delete(url, headers=headers)).status_code == expected(role, ownership, 204)
    assert (await client.post(f"{url}/restore", headers=headers)).status_code == (403 if role == Role.rep else 200)
    timeline = await client.get(f"/api/v1/contacts/{contact.id}/timeline", headers=headers)
    assert timeline.status_code == expected(role, ownership, 200)


@pytest.mark.parametrize("role", ROLES)
async def test_creating_for_others_and_managing_pipelines(client, db, role):
    caller = await make_user(db, role=role)
    other = await make_user(db, role=Role.rep)
    headers = auth_headers(caller)
    for_other = await client.post("/api/v1/deals", headers=headers, json={"title": "T", "owner_id": str(other.id)})
    assert for_other.status_code == (403 if role == Role.rep else 201)
    unassigned_deal = (await client.post("/api/v1/deals", headers=headers, json={"title": "U"})).json()
    assigned = await client.patch(f"/api/v1/deals/{unassigned_deal['id']}", headers=headers,
                                  json={"owner_id": str(other.id)})
    assert assigned.status_code == (403 if role == Role.rep else 200)
    pipeline = await client.post("/api/v1/pipelines", headers=headers, json={"name": f"P {role}",
                                                                            "stages": [{"name": "A"}]})
    assert pipeline.status_code == (403 if role == Role.rep else 201)
    assert (await client.get("/api/v1/activities/mine", headers=headers)).status_code == 200
    assert (await client.get("/api/v1/deals", headers={})).status_code == 401
