from datetime import UTC, datetime, timedelta

from mancrel.core.permissions import Role
from tests.deal.factories import make_contact, make_deal
from tests.factories import auth_headers, make_user


def iso(moment: datetime) -> str:
    return moment.isoformat()


async def test_rep_logs_a_call_and_completes_a_task(client, db):
    rep = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    contact = await make_contact(db, owner=rep)
    deal = await make_deal(db, actor=rep, contact_id=contact.id)
    call = await client.post("/api/v1/activities", headers=headers, json={
        "type": "call", "subject": "Discussed grinder prices", "body": "Wants 10% off",
        "contact_id": str(contact.id), "deal_id": str(deal.id)})
    assert call.status_code == 201
    assert call.json()["owner_id"] == str(rep.id) and call.json()["assignee_id"] is None
    task = await client.post("/api/v1/activities", headers=headers, json={
        "type": "task", "subject": "Send quote", "due_at": iso(datetime.now(UTC) + timedelta(hours=2)),
        "contact_id": str(contact.id)})
    assert task.json()["assignee_id"] == str(rep.id)  # a task is the author's unless given to someone
    assert task.headers["etag"] == '"1"'
    done = await client.patch(f"/api/v1/activities/{task.json()['id']}", headers={**headers, "If-Match": '"1"'},
                              json={"done_at": iso(datetime.now(UTC))})
    assert done.status_code == 200 and done.json()["done_at"] and done.headers["etag"] == '"2"'
    stale = await client.patch(f"/api/v1/activities/{task.json()['id']}", headers={**headers, "If-Match": '"1"'},
                               json={"subject": "lost update"})
    assert stale.status_code == 412
    open_ones = (await client.get("/api/v1/activities?done=false", headers=headers)).json()["items"]
    assert [a["subject"] for a in open_ones] == ["Discussed grinder prices"]
    of_deal = (await client.get(f"/api/v1/activities?deal_id={deal.id}", headers=headers)).json()["items"]
    assert [a["type"] for a in of_deal] == ["call"]
    audit = await client.get(f"/api/v1/audit?entity_type=activity&entity_id={task.json()['id']}",
                             headers=auth_headers(await make_user(db, role=Role.admin)))
    assert {"activity.created", "activity.completed"} <= {e["action"] for e in audit.json()["items"]}


async def test_invalid_activities_are_refused(client, db):
    rep = await make_user(db, role=Role.rep)
    other = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    hidden = await make_contact(db, owner=other)
    for body in ({"type": "fax", "subject": "x"}, {"type": "note", "subject": ""},
                 {"type": "note", "subject": "on a hidden contact", "contact_id": str(hidden.id)},
                 {"type": "task", "subject": "bad time", "due_at": "tomorrow"}):
        response = await client.post("/api/v1/activities", headers=headers, json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
    given_away = await client.post("/api/v1/activities", headers=headers,
                                   json={"type": "task", "subject": "yours", "assignee_id": str(other.id)})
    assert given_away.status_code == 403
    assert (await client.get("/api/v1/activities", headers=headers)).json()["items"] == []


async def test_assignee_and_owner_see_an_activity_other_reps_do_not(client, db):
    manager = await make_user(db, role=Role.manager)
    rita, sam = await make_user(db, role=Role.rep), await make_user(db, role=Role.rep)
    task = (await client.post("/api/v1/activities", headers=auth_headers(manager), json={
        "type": "task", "subject": "Call back Acme", "assignee_id": str(rita.id),
        "due_at": iso(datetime.now(UTC) + timedelta(days=1))})).json()
    assert (await client.get(f"/api/v1/activities/{task['id']}", headers=auth_headers(rita))).status_code == 200
    assert (await client.get(f"/api/v1/activities/{task['id']}", headers=auth_headers(sam))).status_code == 404
    assert (await client.patch(f"/api/v1/activities/{task['id']}", headers=auth_headers(sam),
                               json={"subject": "mine now"})).status_code == 404
    assert (await client.get("/api/v1/activities", headers=auth_headers(sam))).json()["items"] == []
    # The assignee completes it; deleting is theirs too, restoring is a manager's.
    assert (await client.delete(f"/api/v1/activities/{task['id']}", headers=auth_headers(rita))).status_code == 204
    assert (await client.get(f"/api/v1/activities/{task['id']}", headers=auth_headers(rita))).status_code == 404
    assert (await client.post(f"/api/v1/activities/{task['id']}/restore",
                              headers=auth_headers(rita))).status_code == 403
    restored = await client.post(f"/api/v1/activities/{task['id']}/restore", headers=auth_headers(manager))
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None


async def test_mine_splits_open_tasks_into_overdue_today_and_upcoming(client, db):
    rep = await make_user(db, role=Role.rep)
    colleague = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    now = datetime.now(UTC)
    end_of_today = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
    plan = {"overdue": now - timedelta(days=2), "later today": min(now + timedelta(minutes=30),
                                                                    end_of_today - timedelta(seconds=1)),
            "next week": now + timedelta(days=7)}
    for subject, due in plan.items():
        created = await client.post("/api/v1/activities", headers=headers,
                                    json={"type": "task", "subject": subject, "due_at": iso(due)})
        assert created.status_code == 201
    done = await client.post("/api/v1/activities", headers=headers, json={
        "type": "task", "subject": "already done", "due_at": iso(now - timedelta(days=1)), "done_at": iso(now)})
    assert done.status_code == 201
    await client.post("/api/v1/activities", headers=auth_headers(colleague), json={
        "type": "task", "subject": "not mine", "due_at": iso(now - timedelta(days=1))})
    mine = (await client.get("/api/v1/activities/mine", headers=headers)).json()
    assert [t["subject"] for t in mine["overdue"]] == ["overdue"]
    assert [t["subject"] for t in mine["today"]] == ["later today"]
    assert [t["subject"] for t in mine["upcoming"]] == ["next week"]
    assert (await client.get("/api/v1/activities/mine?tz=Mars/Base", headers=headers)).status_code == 422


async def test_activity_list_pages_by_time(client, db):
    manager = await make_user(db, role=Role.manager)
    headers = auth_headers(manager)
    base = datetime(2026, 11, 1, 9, tzinfo=UTC)
    for day in range(5):
        await client.post("/api/v1/activities", headers=headers, json={
            "type": "note", "subject": f"note {day}", "occurred_at": iso(base + timedelta(days=day))})
    first = (await client.get("/api/v1/activities?limit=3", headers=headers)).json()
    second = (await client.get(f"/api/v1/activities?limit=3&cursor={first['next_cursor']}", headers=headers)).json()
    assert [a["subject"] for a in first["items"] + second["items"]] == [f"note {d}" for d in (4, 3, 2, 1, 0)]
    assert second["next_cursor"] is None
    searched = (await client.get("/api/v1/activities?q=note 3", headers=headers)).json()["items"]
    assert [a["subject"] for a in searched] == ["note 3"]


async def test_a_call_marks_the_contact_contacted_a_note_or_a_future_meeting_does_not(client, db):
    rep = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    contact = await make_contact(db, owner=rep)

    async def last_contacted() -> str | None:
        return (await client.get(f"/api/v1/contacts/{contact.id}", headers=headers)).json()["last_contacted_at"]

    for kind, when in (("note", None), ("meeting", datetime.now(UTC) + timedelta(days=2))):
        body = {"type": kind, "subject": kind, "contact_id": str(contact.id)}
        if when:
            body["occurred_at"] = iso(when)
        assert (await client.post("/api/v1/activities", headers=headers, json=body)).status_code == 201
    assert await last_contacted() is None

    yesterday = datetime.now(UTC) - timedelta(days=1)
    await client.post("/api/v1/activities", headers=headers, json={
        "type": "call", "subject": "Checked in", "contact_id": str(contact.id), "occurred_at": iso(yesterday)})
    assert datetime.fromisoformat(await last_contacted()) == yesterday
    older = yesterday - timedelta(days=5)
    await client.post("/api/v1/activities", headers=headers, json={
        "type": "email", "subject": "Old thread logged late", "contact_id": str(contact.id),
        "occurred_at": iso(older)})
    assert datetime.fromisoformat(await last_contacted()) == yesterday  # never moves back
