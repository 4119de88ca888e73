import uuid

from sqlalchemy import select

from mancrel.audit.models import AuditEntry
from mancrel.contact.models import Contact
from mancrel.core.permissions import Role
from mancrel.worker.models import OutboxMessage
from tests.contact.factories import make_company, make_contact, quick_user
from tests.factories import auth_headers


async def test_create_normalises_emails_and_phones_and_sets_etag(client, db):
    rep = await quick_user(db, role=Role.rep)
    response = await client.post("/api/v1/contacts", headers=auth_headers(rep), json={
        "first_name": "Grace", "last_name": "Hopper", "emails": ["  Grace@Navy.MIL ", "grace@navy.mil"],
        "phones": ["+49 151 23456789"], "tags": ["vip", " vip "], "lifecycle_stage": "prospect"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["emails"] == ["grace@navy.mil"]
    assert body["phones"] == ["+4915123456789"]
    assert body["tags"] == ["vip"]
    assert body["owner_id"] == str(rep.id)
    assert response.headers["etag"] == '"1"'
    audit = await db.scalar(select(AuditEntry).where(AuditEntry.entity_id == body["id"]))
    assert audit.action == "contact.created"
    job = await db.scalar(select(OutboxMessage).where(OutboxMessage.task_name == "ai.embed_contact",
                                                      OutboxMessage.kwargs["contact_id"].astext == body["id"]))
    assert job is not None


async def test_bad_phone_or_email_is_a_422_that_creates_nothing(client, db):
    rep = await quick_user(db)
    for payload in ({"phones": ["12"]}, {"emails": ["not-an-email"]}, {"lifecycle_stage": "friend"}):
        response = await client.post("/api/v1/contacts", headers=auth_headers(rep),
                                     json={"first_name": "X", **payload})
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
    assert await db.scalar(select(Contact).where(Contact.first_name == "X")) is None


async def test_duplicate_email_or_phone_answers_409_with_existing_id(client, db):
    rep, other_rep = await quick_user(db), await quick_user(db)
    existing = await make_contact(db, actor=other_rep, emails=["dup@example.com"], phones=["+4930123456"])
    for payload in ({"emails": ["DUP@example.com"]}, {"phones": ["+49 30 123456"]}):
        response = await client.post("/api/v1/contacts", headers=auth_headers(rep), json=payload)
        assert response.status_code == 409
        assert response.json()["existing_id"] == str(existing.id)
    forced = await client.post("/api/v1/contacts?allow_duplicate=true", headers=auth_headers(rep),
                               json={"emails": ["dup@example.com"]})
    assert forced.status_code == 201


async def test_patch_with_stale_if_match_is_412_and_changes_nothing(client, db):
    rep = await quick_user(db)
    contact = await make_contact(db, actor=rep, first_name="Old")
    url = f"/api/v1/contacts/{contact.id}"
    first = await client.patch(url, headers={**auth_headers(rep), "If-Match": '"1"'}, json={"first_name": "New"})
    assert first.status_code == 200 and first.headers["etag"] == '"2"'
    stale = await client.patch(url, headers={**auth_headers(rep), "If-Match": '"1"'}, json={"first_name": "Lost"})
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"2"'
    assert (await client.get(url, headers=auth_headers(rep))).json()["first_name"] == "New"


async def test_update_audits_only_what_changed(client, db):
    rep = await quick_user(db)
    contact = await make_contact(db, actor=rep, title="Buyer")
    response = await client.patch(f"/api/v1/contacts/{contact.id}", headers=auth_headers(rep),
                                  json={"title": "Head of buying", "phones": ["+33 1 42 68 53 00"]})
    assert response.status_code == 200
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.entity_id == str(contact.id),
                                                     AuditEntry.action == "contact.updated"))
    assert entry.before == {"title": "Buyer", "phones": []}
    assert entry.after == {"title": "Head of buying", "phones": ["+33142685300"]}


async def test_rep_cannot_give_a_contact_to_someone_else(client, db):
    rep, other = await quick_user(db), await quick_user(db)
    contact = await make_contact(db, actor=rep)
    response = await client.patch(f"/api/v1/contacts/{contact.id}", headers=auth_headers(rep),
                                  json={"owner_id": str(other.id)})
    assert response.status_code == 403
    created = await client.post("/api/v1/contacts", headers=auth_headers(rep),
                                json={"first_name": "Z", "owner_id": str(other.id)})
    assert created.status_code == 403


async def test_soft_delete_hides_and_manager_restores(client, db):
    rep, manager = await quick_user(db), await quick_user(db, role=Role.manager)
    contact = await make_contact(db, actor=rep)
    url = f"/api/v1/contacts/{contact.id}"
    assert (await client.delete(url, headers=auth_headers(rep))).status_code == 204
    assert (await client.get(url, headers=auth_headers(rep))).status_code == 404
    listed = await client.get("/api/v1/contacts", headers=auth_headers(manager))
    assert str(contact.id) not in [c["id"] for c in listed.json()["items"]]
    deleted = await client.get("/api/v1/contacts?deleted=true", headers=auth_headers(manager))
    assert [c["id"] for c in deleted.json()["items"]] == [str(contact.id)]
    assert (await client.post(f"{url}/restore", headers=auth_headers(rep))).status_code == 403
    restored = await client.post(f"{url}/restore", headers=auth_headers(manager))
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None
    assert (await client.get(url, headers=auth_headers(rep))).status_code == 200
    actions = list(await db.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(contact.id))))
    assert {"contact.deleted", "contact.restored"} <= set(actions)


async def test_company_must_be_visible_to_link(client, db):
    rep, other = await quick_user(db), await quick_user(db)
    hidden = await make_company(db, actor=other)
    response = await client.post("/api/v1/contacts", headers=auth_headers(rep),
                                 json={"first_name": "A", "company_id": str(hidden.id)})
    assert response.status_code == 404
    missing = await client.post("/api/v1/contacts", headers=auth_headers(rep),
                                json={"first_name": "A", "company_id": str(uuid.uuid4())})
    assert missing.status_code == 404


async def test_patch_adding_another_contacts_email_is_409_unless_allowed(client, db):
    rep = await quick_user(db)
    taken = await make_contact(db, actor=rep, emails=["taken@example.com"])
    contact = await make_contact(db, actor=rep, emails=["mine@example.com"])
    url = f"/api/v1/contacts/{contact.id}"
    refused = await client.patch(url, headers=auth_headers(rep),
                                 json={"emails": ["mine@example.com", "taken@example.com"]})
    assert refused.status_code == 409 and refused.json()["existing_id"] == str(taken.id)
    kept = await client.patch(url, headers=auth_headers(rep), json={"emails": ["mine@example.com"], "title": "x"})
    assert kept.status_code == 200  # its own email is no duplicate of itself
    allowed = await client.patch(f"{url}?allow_duplicate=true", headers=auth_headers(rep),
                                 json={"emails": ["taken@example.com"]})
    assert allowed.status_code == 200


async def test_delete_with_stale_if_match_is_412(client, db):
    rep = await quick_user(db)
    contact = await make_contact(db, actor=rep)
    contact.title = "changed"
    await db.flush()
    response = await client.delete(f"/api/v1/contacts/{contact.id}", headers={**auth_headers(rep), "If-Match": '"1"'})
    assert response.status_code == 412
    assert (await client.get(f"/api/v1/contacts/{contact.id}", headers=auth_headers(rep))).status_code == 200


async def test_only_managers_list_deleted_contacts(client, db):
    rep = await quick_user(db)
    assert (await client.get("/api/v1/contacts?deleted=true", headers=auth_headers(rep))).status_code == 403
