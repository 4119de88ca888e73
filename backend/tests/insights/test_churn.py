"""Churn alerts on generated histories: regular buyers gone quiet are flagged, seasonal ones are not;
negative turns and open complaints too; once per episode, with a task for the owner."""

import asyncio
import random

from sqlalchemy import delete, func, select

from mancrel.activity.models import Activity
from mancrel.core.db import commit
from mancrel.core.permissions import Role
from mancrel.inbox.models import Conversation
from mancrel.insights import churn
from mancrel.insights.lead_score_models import ChurnAlert
from mancrel.worker.outbox import enqueue
from tests.contact.factories import quick_user
from tests.factories import auth_headers
from tests.insights.crm_history import days_ago, message, person, purchases

rng = random.Random(21)


def regular(last_age: float, every: float = 30, count: int = 6) -> list[float]:
    """Purchase ages (days ago) of a steady buyer: every `every` days (+- 3), the last `last_age` ago."""
    return [last_age + i * every + rng.uniform(-3, 3) for i in range(count)]


def seasonal(years: int = 3) -> list[float]:
    """Two purchases each spring: the latest spring about 250 days ago, so it is off-season now."""
    ages = []
    for year in range(years):
        start = 250 + 365 * year + rng.uniform(-10, 10)
        ages += [start, start + 30 + rng.uniform(-5, 5)]
    return ages


async def _alerts(db, contact) -> list[ChurnAlert]:
    return list(await db.scalars(select(ChurnAlert).where(ChurnAlert.contact_id == contact.id)))


async def test_regular_buyers_gone_quiet_are_flagged_and_seasonal_ones_are_not(db):
    rep = await quick_user(db)
    quiet, active, seasonal_buyers = [], [], []
    for _ in range(6):
        quiet.append(await person(db, owner=rep))
        await purchases(db, quiet[-1], regular(last_age=rng.uniform(100, 160)))
        active.append(await person(db, owner=rep))
        await purchases(db, active[-1], regular(last_age=rng.uniform(2, 25)))
        seasonal_buyers.append(await person(db, owner=rep))
        await purchases(db, seasonal_buyers[-1], seasonal())
    await churn.run(db)
    for contact in quiet:
        alerts = await _alerts(db, contact)
        assert [a.kind for a in alerts] == ["silence"], contact.id
        assert "usually buys every 3" in alerts[0].reasons[1] or "usually buys every 2" in alerts[0].reasons[1]
    for contact in active + seasonal_buyers:
        assert await _alerts(db, contact) == [], contact.id


async def test_a_message_resets_the_silence(db):
    rep = await quick_user(db)
    contact = await person(db, owner=rep)
    await purchases(db, contact, regular(last_age=120))
    await message(db, contact, at=days_ago(5), intent="product_question", text="Do you have the blue one?")
    await churn.run(db)
    assert await _alerts(db, contact) == []


async def test_a_negative_turn_raises_one_alert_with_a_task_for_the_owner_once(db):
    rep = await quick_user(db)
    contact = await person(db, owner=rep)
    await purchases(db, contact, [40])
    await message(db, contact, at=days_ago(20), intent="product_question", text="Love the jacket")
    # Conversations closed by the rep: no open issue, only the turn in tone.
    first = await message(db, contact, at=days_ago(6), intent="complaint", sentiment="negative",
                          text="The zip broke after a week, really disappointed", status="closed")
    await message(db, contact, at=days_ago(2), intent="returns_refund", sentiment="negative",
                  text="Still no answer. I want my money back", status="closed")
    await churn.run(db)
    await churn.run(db)  # the nightly job again: the same episode is not raised twice
    alerts = await _alerts(db, contact)
    assert [(a.kind, a.episode) for a in alerts] == [("negative", f"negative:{first.id}")]
    assert "2 negative messages in a row" in alerts[0].reasons[0]
    tasks = list(await db.scalars(select(Activity).where(Activity.contact_id == contact.id)))
    assert len(tasks) == 1 and tasks[0].assignee_id == rep.id and tasks[0].id == alerts[0].task_id
    assert tasks[0].subject.startswith("Churn risk:")


async def test_unclassified_unhappy_words_count_too(db):
    contact = await person(db)
    await purchases(db, contact, [60])
    await message(db, contact, at=days_ago(1), text="This is unacceptable, I am cancelling my order", sentiment=None)
    await churn.run(db)
    assert [a.kind for a in await _alerts(db, contact)] == ["negative"]


async def test_an_open_complaint_is_an_alert_resolved_when_closed_and_never_raised_again(db):
    rep = await quick_user(db)
    contact = await person(db, owner=rep)
    await purchases(db, contact, [30])
    complaint = await message(db, contact, at=days_ago(3), intent="complaint", sentiment="neutral",
                              text="The parcel arrived damaged", subject="Damaged parcel")
    # Later messages were fine (not a negative turn), but the complaint's conversation is still open.
    await message(db, contact, at=days_ago(1), intent="other", sentiment="positive", text="Thanks for calling")
    await churn.run(db)
    [alert] = await _alerts(db, contact)
    assert alert.kind == "open_issue" and "unresolved complaint" in alert.reasons[0]
    assert "Damaged parcel" in alert.reasons[0]
    row = await db.get(Conversation, complaint.conversation_id)
    row.status = "closed"
    await db.flush()
    await churn.run(db)
    await db.refresh(alert)
    assert alert.resolved_at is not None
    row.status = "open"  # reopened: the same episode; it stays resolved and is not raised again
    await db.flush()
    await churn.run(db)
    assert await db.scalar(select(func.count()).select_from(ChurnAlert).where(
        ChurnAlert.contact_id == contact.id)) == 1


async def test_churn_list_follows_the_visibility_rule(client, db):
    a, b = await quick_user(db), await quick_user(db)
    manager = await quick_user(db, role=Role.manager)
    contacts = {}
    for key, owner in (("a", a), ("b", b), ("nobody", None)):
        contacts[key] = await person(db, owner=owner)
        await purchases(db, contacts[key], regular(last_age=150))
    await churn.run(db)

    async def seen(user) -> set[str]:
        response = await client.get("/api/v1/insights/churn", headers=auth_headers(user))
        assert response.status_code == 200, response.text
        return {item["contact"]["id"] for item in response.json()["items"]}

    ids = {k: str(c.id) for k, c in contacts.items()}
    assert ids["a"] in await seen(a) and ids["nobody"] in await seen(a) and ids["b"] not in await seen(a)
    assert set(ids.values()) <= await seen(manager)


async def test_the_nightly_job_raises_alerts_through_the_worker(committed_db, celery_worker):
    rep = await quick_user(committed_db)
    contact = await person(committed_db, owner=rep)
    await purchases(committed_db, contact, regular(last_age=140))
    await committed_db.commit()
    try:
        enqueue(committed_db, "ai.nightly_churn")
        await commit(committed_db)
        alerts = []
        for _ in range(300):  # the alert the worker commits is the event we wait for
            alerts = await _alerts(committed_db, contact)
            if alerts:
                break
            await asyncio.sleep(0.1)
        assert [a.kind for a in alerts] == ["silence"], celery_worker.output()[-3000:]
        task = await committed_db.get(Activity, alerts[0].task_id)
        assert task.assignee_id == rep.id and task.subject.startswith("Churn risk:")
    finally:
        await committed_db.execute(delete(ChurnAlert).where(ChurnAlert.contact_id == contact.id))
        await committed_db.execute(delete(Activity).where(Activity.contact_id == contact.id))
        await committed_db.commit()
