"""Reviews as training signal: the message joins the classifier's examples with the intent a
person confirmed or corrected, and a retrain is queued once enough have built up (one at a time)."""

from sqlalchemy import func, select

from mancrel.ai.models import Classification, ModelVersion, TrainingExample
from mancrel.core.permissions import Role
from mancrel.inbox.models import Message
from mancrel.reply import policy as reply_policy
from mancrel.reply.decision import decide_message
from mancrel.reply.policy import PolicyUpdate
from mancrel.worker.models import OutboxMessage
from tests.factories import auth_headers, make_user
from tests.reply.factories import classified_message, make_product

QUESTION = "Hi, how much are the Merino Hiking Socks?"


async def _pending(db, owner):
    message = await classified_message(db, text=QUESTION, confidence=0.75, owner=owner)
    suggestion = await decide_message(db, message.id)
    assert suggestion.status == "pending", suggestion.reasons
    return suggestion


async def _retrains(db) -> int:
    return await db.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.task_name == "ai.retrain"))


async def test_an_approval_that_corrects_the_intent_files_a_correction_for_the_next_model(client, db):
    rep = await make_user(db)
    await make_product(db)
    suggestion = await _pending(db, rep)
    answer = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(rep),
                               json={"intent": "availability"})
    assert answer.status_code == 200 and answer.json()["confirmed_intent"] == "availability"
    message = await db.get(Message, suggestion.message_id)
    classification = await db.get(Classification, message.classification_id)
    assert (classification.intent, classification.corrected_intent) == ("pricing", "availability")
    correction = await db.scalar(select(TrainingExample).where(TrainingExample.classification_id == classification.id))
    assert (correction.intent, correction.source, correction.created_by_id) == ("availability", "correction",
                                                                                 rep.id)
    trail = (await client.get(f"/api/v1/suggestions/{suggestion.id}/audit", headers=auth_headers(rep))).json()
    assert trail[-1]["data"]["training"]["source"] == "correction"


async def test_a_rejection_naming_the_intent_teaches_it_and_an_unknown_intent_is_refused(client, db):
    rep = await make_user(db)
    await make_product(db)
    suggestion = await _pending(db, rep)
    url = f"/api/v1/suggestions/{suggestion.id}/reject"
    bad = await client.post(url, headers=auth_headers(rep), json={"reason": "wrong", "intent": "gossip"})
    assert bad.status_code == 422
    before = await db.scalar(select(func.count()).select_from(TrainingExample))
    answer = await client.post(url, headers=auth_headers(rep), json={"reason": "They asked about wool, not price.",
                                                                      "intent": "pricing"})
    assert answer.status_code == 200 and answer.json()["confirmed_intent"] == "pricing"
    assert await db.scalar(select(func.count()).select_from(TrainingExample)) == before + 1
    example = await db.scalar(select(TrainingExample).order_by(TrainingExample.created_at.desc()).limit(1))
    assert (example.intent, example.source) == ("pricing", "example")


async def test_a_retrain_is_queued_once_enough_reviews_confirmed_intents_and_never_twice(client, db):
    admin, rep = await make_user(db, role=Role.admin), await make_user(db)
    await reply_policy.update(db, data=PolicyUpdate(retrain_after_reviews=2), actor=admin)
    await make_product(db)
    newest = await db.scalar(select(func.max(ModelVersion.version))) or 0  # a suite may have trained one
    db.add(ModelVersion(kind="intent", version=newest + 1, is_active=False, artifact=b"-", embedding_model="test",
                        metrics={}, training_rows=1))  # the model the reviews come after
    await db.flush()
    queued = []
    for _ in range(3):
        suggestion = await _pending(db, rep)
        answer = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(rep),
                                   json={})
        assert answer.status_code == 200
        queued.append(await _retrains(db))
    assert queued == [0, 1, 1]  # the second review reaches the setting; the third finds one waiting
    db.add(ModelVersion(kind="intent", version=newest + 2, is_active=False, artifact=b"-", embedding_model="test",
                        metrics={}, training_rows=1))  # the queued retrain has produced its model
    await db.flush()
    for _ in range(2):
        suggestion = await _pending(db, rep)
        await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(rep), json={})
        queued.append(await _retrains(db))
    assert queued[3:] == [1, 2]  # counting starts again from the new model
