from datetime import UTC, datetime, timedelta

from mancrel.core.permissions import Role
from tests.deal.factories import make_company, make_contact, make_deal, stage_named
from tests.factories import auth_headers, make_user


async def test_contact_timeline_merges_activities_and_stage_changes_newest_first(client, db):
    rep = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    contact = await make_contact(db, owner=rep)
    deal = await make_deal(db, actor=rep, contact_id=contact.id)
    past = datetime.now(UTC) - timedelta(days=3)
    await client.post("/api/v1/activities", headers=headers, json={
        "type": "meeting", "subject": "Showroom visit", "contact_id": str(contact.id),
        "occurred_at": past.isoformat()})
    await client.post("/api/v1/activities", headers=headers, json={
        "type": "note", "subject": "Prefers email", "contact_id": str(contact.id)})
    proposal = await stage_named(db, "Proposal")
    await client.post(f"/api/v1/deals/{deal.id}/move", headers=headers, json={"stage_id": str(proposal.id)})

    timeline = (await client.get(f"/api/v1/contacts/{contact.id}/timeline", headers=headers)).json()
    kinds = [(e["kind"], e["data"].get("subject") or e["data"].get("to_stage_id")) for e in timeline["items"]]
    assert kinds[0] == ("stage_change", str(proposal.id))
    assert ("activity", "Prefers email") in kinds[:3]
    assert kinds[-1] == ("activity", "Showroom visit")  # three days ago: the oldest
    stamps = [e["at"] for e in timeline["items"]]
    assert stamps == sorted(stamps, reverse=True) and len(stamps) == 4

    first = (await client.get(f"/api/v1/contacts/{contact.id}/timeline?limit=3", headers=headers)).json()
    rest = (await client.get(f"/api/v1/contacts/{contact.id}/timeline?limit=3&cursor={first['next_cursor']}",
                             headers=headers)).json()
    assert [e["id"] for e in first["items"] + rest["items"]] == [e["id"] for e in timeline["items"]]
    assert rest["next_cursor"] is None


async def test_company_timeline_shows_what_happened_on_the_company(client, db):
    rep = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    company = await make_company(db, owner=rep)
    await make_deal(db, actor=rep, company_id=company.id, title="Fleet order")
    await client.post("/api/v1/activities", headers=headers, json={
        "type": "email", "subject": "Sent catalogue", "company_id": str(company.id)})
    items = (await client.get(f"/api/v1/companies/{company.id}/timeline", headers=headers)).json()["items"]
    assert sorted(e["kind"] for e in items) == ["activity", "stage_change"]
    [moved] = [e for e in items if e["kind"] == "stage_change"]
    assert moved["data"]["deal_title"] == "Fleet order"  # which deal moved, among the company's deals


async def test_timeline_hides_what_the_caller_may_not_see(client, db):
    rita, sam = await make_user(db, role=Role.rep), await make_user(db, role=Role.rep)
    manager = await make_user(db, role=Role.manager)
    ritas_contact = await make_contact(db, owner=rita)
    shared = await make_contact(db, owner=None)
    assert (await client.get(f"/api/v1/contacts/{ritas_contact.id}/timeline",
                             headers=auth_headers(sam))).status_code == 404
    # On an unassigned contact, Sam sees his own notes but not Rita's private deal history.
    await make_deal(db, actor=rita, contact_id=shared.id)
    await client.post("/api/v1/activities", headers=auth_headers(sam), json={
        "type": "note", "subject": "Sam's note", "contact_id": str(shared.id)})
    sams_view = (await client.get(f"/api/v1/contacts/{shared.id}/timeline", headers=auth_headers(sam))).json()
    assert [e["data"].get("subject") for e in sams_view["items"]] == ["Sam's note"]
    managers_view = (await client.get(f"/api/v1/contacts/{shared.id}/timeline",
                                      headers=auth_headers(manager))).json()
    assert sorted(e["kind"] for e in managers_view["items"]) == ["activity", "stage_change"]
    assert (await client.get(f"/api/v1/contacts/{shared.id}/timeline?cursor=bad",
                             headers=auth_headers(sam))).status_code == 422
