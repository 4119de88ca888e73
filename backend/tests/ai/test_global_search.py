"""Global search (the web app's Ctrl-K) over companies, deals and customer messages, besides
products and contacts: each record type reaches search by the path the product uses, and a
hit is shown only to someone who may open the record."""

from sqlalchemy import delete, select, text

from mancrel.ai.models import SearchDocument
from mancrel.core.permissions import Role
from mancrel.inbox import processing
from mancrel.inbox.models import Conversation
from tests.factories import auth_headers, make_user
from tests.inbox.factories import inbound, make_channel, make_contact, receive
from tests.worker.helpers import eventually


async def _found(client, user, q, types):
    response = await client.get("/api/v1/search", params={"q": q, "types": types}, headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in response.json()["items"]}


async def test_customer_messages_are_found_inside_the_conversations_a_rep_may_open(client, db, active_model):
    rep, other, manager = [await make_user(db, role=r) for r in (Role.rep, Role.rep, Role.manager)]
    channel = await make_channel(db)
    mine = await make_contact(db, owner=rep, email="ines@customer.example", first_name="Ines")
    await make_contact(db, owner=other, email="olaf@customer.example", first_name="Olaf")
    asked = await receive(db, channel, inbound("ines@customer.example", name="Ines Buyer", subject="Kayak paddles",
                                               text="Do you still sell the carbon kayak paddle in 220 cm?"))
    theirs = await receive(db, channel, inbound("olaf@customer.example", name="Olaf Buyer", subject="Paddle order",
                                                text="My carbon kayak paddle arrived broken."))
    assert await processing.process_waiting(db) == 2  # what `ai.process_message` runs: classify, file, index

    hits = await _found(client, rep, "carbon kayak paddle", "message")
    assert set(hits) == {str(asked.id)}  # the other rep's customer stays out
    assert hits[str(asked.id)]["parent_id"] == str(asked.conversation_id)
    assert hits[str(asked.id)]["title"] == "Kayak paddles" and "Ines" in hits[str(asked.id)]["snippet"]
    assert set(await _found(client, manager, "carbon kayak paddle", "message")) == {str(asked.id), str(theirs.id)}

    # Handed over: the contact goes to the other rep. Search follows the conversation's rule at
    # once, though the document still names the old owner.
    mine.owner_id = other.id
    await db.flush()
    assert await _found(client, rep, "carbon kayak paddle", "message") == {}
    assert set(await _found(client, other, "carbon kayak paddle", "message")) == {str(asked.id), str(theirs.id)}
    # A conversation assigned to the rep is theirs to open again.
    conversation = await db.get(Conversation, asked.conversation_id)
    conversation.assignee_id = rep.id
    await db.flush()
    stale = await db.scalar(select(SearchDocument.owner_id).where(SearchDocument.entity_id == asked.id))
    assert stale == rep.id  # the prefilter's copy; the conversation's rule decides
    assert set(await _found(client, rep, "carbon kayak paddle", "message")) == {str(asked.id)}


async def test_companies_and_deals_join_search_through_the_worker_and_leave_when_deleted(
        committed_client, committed_db, celery_worker):
    admin = await make_user(committed_db, role=Role.admin)
    rep = await make_user(committed_db, role=Role.rep)
    await committed_db.commit()
    headers = auth_headers(admin)
    company = (await committed_client.post("/api/v1/companies", headers=headers, json={
        "name": "Fjordline Kayak Rentals", "domain": "fjordline-kayaks.example", "industry": "Outdoor rental",
        "owner_id": str(admin.id)})).json()
    pipeline = (await committed_client.get("/api/v1/pipelines", headers=headers)).json()
    pipeline = (pipeline["items"] if isinstance(pipeline, dict) else pipeline)[0]
    created = await committed_client.post("/api/v1/deals", headers=headers, json={
        "title": "Fjordline fleet renewal", "pipeline_id": pipeline["id"], "company_id": company["id"],
        "amount": "18400.00", "currency": "EUR", "owner_id": str(admin.id)})
    assert created.status_code == 201, created.text
    deal = created.json()
    try:
        async def both_found():
            return await _found(committed_client, admin, "fjordline kayaks", "company,deal")

        try:
            hits = await eventually(lambda: _both(both_found, company["id"], deal["id"]), within=60, interval=0.3)
        except AssertionError:
            raise AssertionError(celery_worker.output()[-3000:]) from None
        assert hits[deal["id"]]["type"] == "deal" and "18400.00 EUR" in hits[deal["id"]]["snippet"]
        assert "Fjordline Kayak Rentals" in hits[deal["id"]]["snippet"]
        assert hits[company["id"]]["type"] == "company"
        assert await _found(committed_client, rep, "fjordline kayaks", "company,deal") == {}  # not theirs

        gone = await committed_client.delete(f"/api/v1/companies/{company['id']}", headers=headers)
        assert gone.status_code == 204, gone.text

        async def company_left():
            return company["id"] not in await _found(committed_client, admin, "fjordline kayaks", "company,deal")

        await eventually(company_left, within=60, interval=0.3)
    finally:
        await committed_db.execute(text("DELETE FROM deals WHERE id = :id"), {"id": deal["id"]})
        await committed_db.execute(text("DELETE FROM companies WHERE id = :id"), {"id": company["id"]})
        await committed_db.execute(delete(SearchDocument).where(SearchDocument.entity_id.in_(
            [deal["id"], company["id"]])))
        await committed_db.execute(text("DELETE FROM embeddings WHERE entity_id IN (:a, :b)"),
                                   {"a": deal["id"], "b": company["id"]})
        await committed_db.commit()


async def _both(found, *ids):
    hits = await found()
    return hits if all(i in hits for i in ids) else None
