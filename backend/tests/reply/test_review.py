"""Managers review what the AI did (findings M15): the decided suggestions filtered by decision, status,
intent and date; "Looks right" / "Mark as wrong" on a reply sent automatically, counted by the calibration;
the audit CSV for managers."""

from datetime import timedelta

from sqlalchemy import select

from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from mancrel.inbox.models import Conversation
from mancrel.reply.models import Suggestion, SuggestionAudit
from tests.factories import auth_headers, make_user
from tests.reply.factories import classified_message


async def _decided(db, *, decision="auto_send", status="sent", intent="shipping", confidence=0.96, owner=None,
                   first_name="Ada", draft="We ship within 2 days.\nKind regards") -> Suggestion:
    message = await classified_message(db, text="When do you ship?", intent=intent, confidence=confidence,
                                       owner=owner, first_name=first_name)
    conversation = await db.get(Conversation, message.conversation_id)
    suggestion = Suggestion(message_id=message.id, conversation_id=message.conversation_id,
                            contact_id=conversation.contact_id, intent=intent, confidence=confidence,
                            confidence_parts={}, decision=decision, reasons=[], status=status, draft_text=draft,
                            sent_text=draft if status == "sent" else None, facts=[], grounding={}, usage={})
    db.add(suggestion)
    await db.flush()
    return suggestion


async def _ids(client, user, **params) -> list[str]:
    answer = await client.get("/api/v1/suggestions", headers=auth_headers(user), params=params)
    assert answer.status_code == 200, answer.text
    return [row["id"] for row in answer.json()["items"]]


async def test_the_list_filters_by_decision_status_intent_and_date_and_names_the_customer(client, db):
    manager = await make_user(db, role=Role.manager)
    sent = await _decided(db, first_name="Laura")
    held = await _decided(db, decision="approval", status="pending", intent="pricing", confidence=0.8)
    escalated = await _decided(db, decision="escalate", status="escalated", intent="complaint", confidence=0.5)
    mine = {str(s.id) for s in (sent, held, escalated)}
    assert set(await _ids(client, manager, decision="auto_send")) & mine == {str(sent.id)}
    both = await _ids(client, manager, decision=["approval", "escalate"])
    assert set(both) & mine == {str(held.id), str(escalated.id)}
    assert set(await _ids(client, manager, status="escalated", intent="complaint")) & mine == {str(escalated.id)}
    soon, later = utcnow() + timedelta(hours=1), utcnow() + timedelta(hours=2)
    assert set(await _ids(client, manager, since=(utcnow() - timedelta(hours=1)).isoformat())) >= mine
    assert await _ids(client, manager, since=soon.isoformat(), until=later.isoformat()) == []
    backwards = await client.get("/api/v1/suggestions", headers=auth_headers(manager),
                                 params={"since": later.isoformat(), "until": soon.isoformat()})
    assert backwards.status_code == 422 and backwards.headers["content-type"] == "application/problem+json"
    bad = await client.get("/api/v1/suggestions", headers=auth_headers(manager), params={"decision": "maybe"})
    assert bad.status_code == 422
    row = next(r for r in (await client.get("/api/v1/suggestions", headers=auth_headers(manager),
                                            params={"decision": "auto_send"})).json()["items"]
               if r["id"] == str(sent.id))
    assert row["customer"].startswith("Laura") and row["draft_text"].startswith("We ship within 2 days.")


async def test_a_rep_lists_only_the_suggestions_of_conversations_they_see(client, db):
    rep, other = await make_user(db), await make_user(db)
    theirs = await _decided(db, owner=rep)
    not_theirs = await _decided(db, owner=other)
    listed = set(await _ids(client, rep, decision="auto_send", limit=200))
    assert str(theirs.id) in listed and str(not_theirs.id) not in listed


async def test_a_manager_marks_an_automatic_reply_wrong_and_calibration_counts_it(client, db):
    manager, rep = await make_user(db, role=Role.manager), await make_user(db)
    before = (await client.get("/api/v1/ai/calibration", headers=auth_headers(manager))).json()
    wrong, right = await _decided(db, confidence=0.97), await _decided(db, confidence=0.96)
    url = "/api/v1/suggestions/{}/verdict"
    judged = await client.post(url.format(wrong.id), headers=auth_headers(manager),
                               json={"verdict": "wrong", "reason": "We do not ship to Norway",
                                     "intent": "order_status"})
    assert judged.status_code == 200, judged.text
    body = judged.json()
    assert (body["status"], body["reject_reason"], body["confirmed_intent"]) == (
        "sent", "We do not ship to Norway", "order_status")
    assert body["reviewed_by_id"] == str(manager.id)
    assert (await client.post(url.format(right.id), headers=auth_headers(manager),
                              json={"verdict": "right"})).status_code == 200
    after = (await client.get("/api/v1/ai/calibration", headers=auth_headers(manager))).json()
    assert after["reviewed"] == before["reviewed"] + 2
    at = {t["threshold"]: t for t in after["thresholds"]}
    was = {t["threshold"]: t for t in before["thresholds"]}
    assert at[0.95]["reviewed"] == was[0.95]["reviewed"] + 2
    assert at[0.95]["accepted"] == was[0.95]["accepted"] + 1  # the wrong one is not accepted
    actions = list(await db.scalars(select(SuggestionAudit.action).where(SuggestionAudit.suggestion_id == wrong.id)))
    assert actions == ["judged_wrong"]
    # Changing one's mind replaces the verdict: the reply is now counted as right.
    await client.post(url.format(wrong.id), headers=auth_headers(manager), json={"verdict": "right"})
    again = (await client.get("/api/v1/ai/calibration", headers=auth_headers(manager))).json()
    assert again["reviewed"] == after["reviewed"]
    assert {t["threshold"]: t for t in again["thresholds"]}[0.95]["accepted"] == at[0.95]["accepted"] + 1
    refused = await client.post(url.format(right.id), headers=auth_headers(rep), json={"verdict": "wrong"})
    assert refused.status_code == 403


async def test_only_an_automatic_reply_takes_a_verdict_and_bad_input_changes_nothing(client, db):
    manager = await make_user(db, role=Role.manager)
    held = await _decided(db, decision="approval", status="pending", confidence=0.8)
    url = f"/api/v1/suggestions/{held.id}/verdict"
    conflict = await client.post(url, headers=auth_headers(manager), json={"verdict": "wrong"})
    assert conflict.status_code == 409 and conflict.headers["content-type"] == "application/problem+json"
    sent = await _decided(db)
    for bad in ({"verdict": "maybe"}, {"verdict": "wrong", "intent": "gossip"}, {}):
        answer = await client.post(f"/api/v1/suggestions/{sent.id}/verdict", headers=auth_headers(manager),
                                   json=bad)
        assert answer.status_code == 422
    await db.refresh(sent)
    await db.refresh(held)
    assert sent.reviewed_at is None and held.reviewed_at is None


async def test_managers_export_the_audit_csv(client, db):
    manager, rep = await make_user(db, role=Role.manager), await make_user(db)
    since, until = (utcnow() - timedelta(hours=1)).isoformat(), (utcnow() + timedelta(hours=1)).isoformat()
    answer = await client.get("/api/v1/suggestions/audit.csv", headers=auth_headers(manager),
                              params={"since": since, "until": until})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert (await client.get("/api/v1/suggestions/audit.csv", headers=auth_headers(rep),
                             params={"since": since, "until": until})).status_code == 403
