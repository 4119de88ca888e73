"""Lead scores: learned from won and lost deals, explained with reasons, listed per the visibility rule."""

import asyncio
from datetime import timedelta

from sqlalchemy import delete, select

from mancrel.core.db import commit
from mancrel.core.permissions import Role
from mancrel.core.state import AppState
from mancrel.deal.models import DealStatus
from mancrel.insights import leads
from mancrel.insights.lead_score_models import LeadScore, LeadScoreModel
from mancrel.worker.outbox import enqueue
from tests.contact.factories import quick_user
from tests.factories import auth_headers
from tests.insights.crm_history import days_ago, deal, message, person


async def _history(db, owner, *, n: int = 24) -> None:
    """Past leads: those who reached Negotiation and asked to buy won within weeks; silent ones in
    New were lost."""
    for i in range(n):
        contact = await person(db, owner=owner)
        opened = days_ago(300 - 5 * i)
        if i % 2 == 0:
            await message(db, contact, at=opened + timedelta(days=2), intent="purchase_intent",
                          text="I'd like to order two", replied_after=timedelta(hours=1))
            await deal(db, contact, created=opened, moves=[("Negotiation", opened + timedelta(days=3))],
                       closed=opened + timedelta(days=40), status=DealStatus.won)
        else:
            await deal(db, contact, created=opened, closed=opened + timedelta(days=60), status=DealStatus.lost)


async def _hot_and_cold(db, owner):
    hot = await person(db, owner=owner, name="Hot")
    await deal(db, hot, created=days_ago(10), moves=[("Negotiation", days_ago(3))])
    for age in (4, 2):
        await message(db, hot, at=days_ago(age), intent="purchase_intent", text="Can I order the jacket today?",
                      replied_after=timedelta(minutes=30))
    cold = await person(db, owner=owner, name="Cold")
    await deal(db, cold, created=days_ago(40))
    return hot, cold


async def _leads(client, user) -> list[dict]:
    response = await client.get("/api/v1/insights/leads", headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_hot_lead_outranks_a_cold_one_with_reasons_a_rep_can_read(client, db):
    rep = await quick_user(db)
    await _history(db, rep)
    hot, cold = await _hot_and_cold(db, rep)
    outcome = await leads.nightly(db)
    assert outcome["training_rows"] >= 20 and outcome["model_version"] >= 1
    items = {i["contact"]["id"]: i for i in await _leads(client, rep)}
    hot_item, cold_item = items[str(hot.id)], items[str(cold.id)]
    assert hot_item["score"] > cold_item["score"] + 20
    texts = [r["text"] for r in hot_item["reasons"] if r["points"] > 0]
    assert any("asked to buy 2 times" in t for t in texts), hot_item["reasons"]
    assert any("Negotiation" in t for t in texts), hot_item["reasons"]
    assert any(r["points"] < 0 for r in cold_item["reasons"]), cold_item["reasons"]
    # The learned model, stored with what it was trained on.
    model = await db.scalar(select(LeadScoreModel).order_by(LeadScoreModel.version.desc()))
    assert model.metrics["rows"] >= 20 and model.metrics["positives"] >= 10


async def test_with_no_history_the_prior_still_ranks_sensibly(client, db):
    rep = await quick_user(db)
    hot, cold = await _hot_and_cold(db, rep)
    await leads.score(db)  # no model trained yet: the prior's weights
    items = {i["contact"]["id"]: i for i in await _leads(client, rep)}
    assert items[str(hot.id)]["model_version"] == 0
    assert items[str(hot.id)]["score"] > items[str(cold.id)]["score"]


async def test_reps_see_their_own_and_unassigned_leads_managers_see_all(client, db):
    a, b = await quick_user(db), await quick_user(db)
    manager = await quick_user(db, role=Role.manager)
    contacts = {}
    for key, owner in (("a", a), ("b", b), ("nobody", None)):
        contacts[key] = await person(db, owner=owner)
        await deal(db, contacts[key], created=days_ago(5))
    await leads.score(db)
    seen_by_a = {i["contact"]["id"] for i in await _leads(client, a)}
    assert str(contacts["a"].id) in seen_by_a and str(contacts["nobody"].id) in seen_by_a
    assert str(contacts["b"].id) not in seen_by_a
    seen_by_manager = {i["contact"]["id"] for i in await _leads(client, manager)}
    assert {str(c.id) for c in contacts.values()} <= seen_by_manager


async def test_a_contact_without_an_open_deal_or_recent_message_loses_its_score(db):
    rep = await quick_user(db)
    contact = await person(db, owner=rep)
    open_deal = await deal(db, contact, created=days_ago(5))
    await leads.score(db)
    assert await db.get(LeadScore, contact.id) is not None
    open_deal.status, open_deal.closed_at = DealStatus.lost, days_ago(0.01)
    await db.flush()
    await leads.score(db, [contact.id])
    assert await db.get(LeadScore, contact.id, populate_existing=True) is None


async def test_a_new_buying_question_rescoring_through_the_worker_shows_a_rising_trend(committed_db, celery_worker):
    rep = await quick_user(committed_db)
    contact = await person(committed_db, owner=rep)
    await deal(committed_db, contact, created=days_ago(20), moves=[("Qualified", days_ago(10))])
    await committed_db.commit()
    try:
        await leads.score(committed_db, [contact.id])
        await committed_db.commit()
        before = (await committed_db.get(LeadScore, contact.id)).score
        await message(committed_db, contact, at=days_ago(0.01), intent="purchase_intent",
                      text="We want to order 20 units this week", replied_after=timedelta(minutes=5))
        await committed_db.commit()
        enqueue(committed_db, "ai.score_lead_signals")
        await commit(committed_db)
        row = None
        for _ in range(300):  # the worker rescoring the contact is the event we wait for
            row = await committed_db.get(LeadScore, contact.id, populate_existing=True)
            if row is not None and row.previous_score is not None:
                break
            await asyncio.sleep(0.1)
        assert row is not None and row.previous_score == before and row.score > before, celery_worker.output()[-3000:]
        assert any("asked to buy once" in r["text"] for r in row.reasons)
    finally:
        await committed_db.execute(delete(LeadScore).where(LeadScore.contact_id == contact.id))
        await committed_db.execute(delete(AppState).where(AppState.key == "insights.lead_signals_seen_until"))
        await committed_db.commit()
