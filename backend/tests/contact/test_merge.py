from sqlalchemy import select

from mancrel.activity import service as activity_service
from mancrel.activity.models import Activity
from mancrel.activity.schemas import ActivityCreate
from mancrel.audit.models import AuditEntry
from mancrel.contact.models import Contact
from mancrel.core.permissions import Role
from mancrel.deal.models import Deal
from tests.contact.factories import make_company, make_contact, quick_user
from tests.deal.factories import make_deal
from tests.factories import auth_headers
from tests.inbox.factories import inbound, make_channel, receive


async def test_duplicates_lists_pairs_sharing_an_email_or_phone(client, db):
    rep = await quick_user(db)
    a = await make_contact(db, actor=rep, emails=["same@example.com"], phones=["+4930123456"])
    db.add(Contact(first_name="B", emails=["same@example.com"], owner_id=rep.id))
    db.add(Contact(first_name="C", phones=["+4930123456"], owner_id=rep.id))
    await make_contact(db, actor=rep, emails=["alone@example.com"])
    await db.flush()
    response = await client.get("/api/v1/contacts/duplicates", headers=auth_headers(rep))
    assert response.status_code == 200
    pairs = response.json()["items"]
    assert [(p["reason"], p["value"]) for p in pairs] == [("email", "same@example.com"), ("phone", "+4930123456")]
    assert all(p["contacts"][0]["id"] == str(a.id) for p in pairs)
    assert {p["contacts"][1]["first_name"] for p in pairs} == {"B", "C"}
    page = await client.get("/api/v1/contacts/duplicates?limit=1", headers=auth_headers(rep))
    second = await client.get(f"/api/v1/contacts/duplicates?limit=1&cursor={page.json()['next_cursor']}",
                              headers=auth_headers(rep))
    assert [p["reason"] for p in second.json()["items"]] == ["phone"]
    assert second.json()["next_cursor"] is None


async def test_duplicates_only_among_contacts_the_rep_sees(client, db):
    rep, other = await quick_user(db), await quick_user(db)
    await make_contact(db, actor=rep, emails=["x@example.com"])
    db.add(Contact(first_name="Hidden", emails=["x@example.com"], owner_id=other.id))
    await db.flush()
    response = await client.get("/api/v1/contacts/duplicates", headers=auth_headers(rep))
    assert response.json()["items"] == []


async def _duplicate_keys(client, user) -> list[tuple[str, str, int]]:
    pairs = (await client.get("/api/v1/contacts/duplicates", headers=auth_headers(user))).json()["items"]
    return sorted((p["reason"], p["value"], len(p["contacts"])) for p in pairs)


async def test_duplicates_follow_edits_deletes_restores_and_merges(client, db):
    rep = await quick_user(db)
    manager = await quick_user(db, role=Role.manager)
    a = await make_contact(db, actor=rep, emails=["shared@example.com"])
    b = await make_contact(db, actor=rep, emails=["other@example.com"])
    assert await _duplicate_keys(client, rep) == []

    edited = await client.patch(f"/api/v1/contacts/{b.id}?allow_duplicate=true", headers=auth_headers(rep),
                                json={"emails": ["other@example.com", "Shared@Example.com"]})
    assert edited.status_code == 200, edited.text
    assert await _duplicate_keys(client, rep) == [("email", "shared@example.com", 2)]

    assert (await client.delete(f"/api/v1/contacts/{b.id}", headers=auth_headers(rep))).status_code == 204
    assert await _duplicate_keys(client, rep) == []
    restored = await client.post(f"/api/v1/contacts/{b.id}/restore", headers=auth_headers(manager))
    assert restored.status_code == 200, restored.text
    assert await _duplicate_keys(client, rep) == [("email", "shared@example.com", 2)]

    merged = await client.post(f"/api/v1/contacts/{a.id}/merge", headers=auth_headers(rep),
                               json={"other_id": str(b.id)})
    assert merged.status_code == 200, merged.text
    assert await _duplicate_keys(client, rep) == []  # one contact now holds both emails
    undone = await client.post(f"/api/v1/merges/{merged.json()['merge']['id']}/undo", headers=auth_headers(rep))
    assert undone.status_code == 200, undone.text
    assert await _duplicate_keys(client, rep) == [("email", "shared@example.com", 2)]


async def test_duplicates_page_past_groups_the_rep_cannot_see(client, db):
    rep, other = await quick_user(db), await quick_user(db)
    for n in range(3):  # shared only by contacts of another rep: invisible groups come first
        db.add(Contact(first_name=f"Hidden{n}", emails=[f"a{n}@example.com"], owner_id=other.id))
        db.add(Contact(first_name=f"Twin{n}", emails=[f"a{n}@example.com"], owner_id=other.id))
    await make_contact(db, actor=rep, emails=["z@example.com"])
    db.add(Contact(first_name="Mine", emails=["z@example.com"], owner_id=rep.id))
    await db.flush()
    assert await _duplicate_keys(client, rep) == [("email", "z@example.com", 2)]
    assert len(await _duplicate_keys(client, other)) == 3


async def test_merge_moves_everything_and_undo_puts_it_back(client, db):
    rep = await quick_user(db)
    company = await make_company(db, actor=rep)
    primary = await make_contact(db, actor=rep, first_name="Ann", emails=["ann@work.example"], title=None)
    other = await make_contact(db, actor=rep, first_name="Annie", emails=["ann@home.example"],
                               phones=["+4930123456"], title="Buyer", company_id=company.id, tags=["fair"])
    deal = await make_deal(db, actor=rep, contact_id=other.id)
    activity = await activity_service.create(db, data=ActivityCreate(type="note", subject="Met at fair",
                                                                     contact_id=other.id), actor=rep)
    await db.flush()
    response = await client.post(f"/api/v1/contacts/{primary.id}/merge", headers=auth_headers(rep),
                                 json={"other_id": str(other.id)})
    assert response.status_code == 200, response.text
    merged = response.json()["contact"]
    assert merged["first_name"] == "Ann"  # the primary's own values win
    assert merged["emails"] == ["ann@work.example", "ann@home.example"]
    assert merged["phones"] == ["+4930123456"]
    assert merged["title"] == "Buyer" and merged["company_id"] == str(company.id) and merged["tags"] == ["fair"]
    assert (await client.get(f"/api/v1/contacts/{other.id}", headers=auth_headers(rep))).status_code == 404
    await db.refresh(deal)
    await db.refresh(activity)
    assert deal.contact_id == primary.id and activity.contact_id == primary.id

    merge_id = response.json()["merge"]["id"]
    undone = await client.post(f"/api/v1/merges/{merge_id}/undo", headers=auth_headers(rep))
    assert undone.status_code == 200, undone.text
    assert undone.json()["emails"] == ["ann@work.example"] and undone.json()["title"] is None
    restored = await client.get(f"/api/v1/contacts/{other.id}", headers=auth_headers(rep))
    assert restored.status_code == 200 and restored.json()["phones"] == ["+4930123456"]
    assert await db.scalar(select(Deal.contact_id).where(Deal.id == deal.id)) == other.id
    assert await db.scalar(select(Activity.contact_id).where(Activity.id == activity.id)) == other.id
    again = await client.post(f"/api/v1/merges/{merge_id}/undo", headers=auth_headers(rep))
    assert again.status_code == 409
    actions = set(await db.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(primary.id))))
    assert {"contact.merged", "contact.merge_undone"} <= actions


async def test_undo_refused_when_the_contact_changed_since(client, db):
    rep = await quick_user(db)
    primary, other = await make_contact(db, actor=rep), await make_contact(db, actor=rep)
    merge = (await client.post(f"/api/v1/contacts/{primary.id}/merge", headers=auth_headers(rep),
                               json={"other_id": str(other.id)})).json()["merge"]
    await client.patch(f"/api/v1/contacts/{primary.id}", headers=auth_headers(rep), json={"title": "CEO"})
    response = await client.post(f"/api/v1/merges/{merge['id']}/undo", headers=auth_headers(rep))
    assert response.status_code == 409
    assert (await client.get(f"/api/v1/contacts/{other.id}", headers=auth_headers(rep))).status_code == 404


async def test_merge_needs_both_contacts_visible_and_distinct(client, db):
    rep, other_rep = await quick_user(db), await quick_user(db)
    mine, theirs = await make_contact(db, actor=rep), await make_contact(db, actor=other_rep)
    hidden = await client.post(f"/api/v1/contacts/{mine.id}/merge", headers=auth_headers(rep),
                               json={"other_id": str(theirs.id)})
    assert hidden.status_code == 404
    itself = await client.post(f"/api/v1/contacts/{mine.id}/merge", headers=auth_headers(rep),
                               json={"other_id": str(mine.id)})
    assert itself.status_code == 422
    await db.refresh(theirs)
    assert theirs.deleted_at is None


async def test_someone_who_cannot_see_the_contact_cannot_undo(client, db):
    manager, rep = await quick_user(db, role=Role.manager), await quick_user(db)
    primary, other = await make_contact(db, actor=manager), await make_contact(db, actor=manager)
    merge = (await client.post(f"/api/v1/contacts/{primary.id}/merge", headers=auth_headers(manager),
                               json={"other_id": str(other.id)})).json()["merge"]
    response = await client.post(f"/api/v1/merges/{merge['id']}/undo", headers=auth_headers(rep))
    assert response.status_code == 404


async def test_a_rep_cannot_take_another_reps_deals_and_activities_through_a_merge(client, db):
    rep, other_rep = await quick_user(db), await quick_user(db)
    manager = await quick_user(db, role=Role.manager)
    mine = await make_contact(db, actor=rep)
    unassigned = await make_contact(db, actor=rep, owner=None)
    their_deal = await make_deal(db, actor=other_rep, contact_id=unassigned.id)
    their_note = await activity_service.create(db, data=ActivityCreate(type="note", subject="Their call",
                                                                       contact_id=unassigned.id), actor=other_rep)
    await db.flush()

    response = await client.post(f"/api/v1/contacts/{mine.id}/merge", headers=auth_headers(rep),
                                 json={"other_id": str(unassigned.id)})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert str(their_deal.id) not in response.text and str(their_note.id) not in response.text
    # Nothing moved, nothing deleted: the other rep still reaches their deal on its contact.
    deal = await client.get(f"/api/v1/deals/{their_deal.id}", headers=auth_headers(other_rep))
    assert deal.status_code == 200 and deal.json()["contact_id"] == str(unassigned.id)
    note = await client.get(f"/api/v1/activities/{their_note.id}", headers=auth_headers(other_rep))
    assert note.status_code == 200 and note.json()["contact_id"] == str(unassigned.id)
    assert (await client.get(f"/api/v1/contacts/{unassigned.id}", headers=auth_headers(rep))).status_code == 200

    # A manager, who sees both records, may merge; the answer lists what moved.
    merged = await client.post(f"/api/v1/contacts/{mine.id}/merge", headers=auth_headers(manager),
                               json={"other_id": str(unassigned.id)})
    assert merged.status_code == 200, merged.text
    moved = merged.json()["merge"]["moved"]
    assert moved["deals"] == [str(their_deal.id)] and moved["activities"] == [str(their_note.id)]


async def test_a_rep_merges_an_unassigned_contact_with_records_they_see(client, db):
    rep, other_rep = await quick_user(db), await quick_user(db)
    mine = await make_contact(db, actor=rep)
    unassigned = await make_contact(db, actor=rep, owner=None)
    open_deal = await make_deal(db, actor=rep, owner=None, contact_id=unassigned.id)
    # Logged by another rep but assigned to this one: theirs to see, so it moves.
    task = await activity_service.create(db, data=ActivityCreate(type="task", subject="Call back",
                                                                 contact_id=unassigned.id), actor=other_rep)
    task.assignee_id = rep.id
    await db.flush()
    response = await client.post(f"/api/v1/contacts/{mine.id}/merge", headers=auth_headers(rep),
                                 json={"other_id": str(unassigned.id)})
    assert response.status_code == 200, response.text
    moved = response.json()["merge"]["moved"]
    assert moved["deals"] == [str(open_deal.id)] and moved["activities"] == [str(task.id)]


async def test_merged_contact_keeps_both_conversations_in_the_inbox(client, db):
    """Finding M18: Laura writes from a second address and becomes a second contact; after the
    merge the inbox shows both of her threads under the one contact, and undo splits them again."""
    rep = await quick_user(db)
    channel = await make_channel(db, owner=rep)
    await receive(db, channel, inbound("laura.becker@web.example", name="Laura Becker", subject="Order 40117"))
    await receive(db, channel, inbound("laura.becker.privat@gmx.example", name="Laura Becker",
                                       subject="Did you swap order #40117 to size L?"))
    lauras = list(await db.scalars(select(Contact).where(Contact.first_name == "Laura", Contact.deleted_at.is_(None))
                                   .order_by(Contact.created_at)))
    assert len(lauras) == 2
    first, second = lauras

    async def threads() -> dict[str, str | None]:
        page = await client.get("/api/v1/conversations", headers=auth_headers(rep))
        assert page.status_code == 200, page.text
        return {c["subject"]: (c["contact"] or {}).get("id") for c in page.json()["items"]}

    assert await threads() == {"Order 40117": str(first.id), "Did you swap order #40117 to size L?": str(second.id)}
    merged = await client.post(f"/api/v1/contacts/{first.id}/merge", headers=auth_headers(rep),
                               json={"other_id": str(second.id)})
    assert merged.status_code == 200, merged.text
    assert set(merged.json()["contact"]["emails"]) == {"laura.becker@web.example", "laura.becker.privat@gmx.example"}
    assert set((await threads()).values()) == {str(first.id)}

    undone = await client.post(f"/api/v1/merges/{merged.json()['merge']['id']}/undo", headers=auth_headers(rep))
    assert undone.status_code == 200, undone.text
    assert (await threads())["Did you swap order #40117 to size L?"] == str(second.id)
