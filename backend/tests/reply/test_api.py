"""The reply API: knowledge entries and policy (admins), suggestions with approval, edit and
rejection, and an audit trail the database itself keeps append-only."""

import csv
import io
import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from mancrel.ai.models import TrainingExample
from mancrel.audit.models import AuditEntry
from mancrel.catalog.models import ProductVariant
from mancrel.channel.models import Channel
from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from mancrel.inbox.models import Conversation, Direction, Message
from mancrel.reply.decision import decide_message
from tests.factories import auth_headers, make_user
from tests.reply.factories import classified_message, make_product

QUESTION = "Hi, how much are the Merino Hiking Socks?"


async def _pending(db, *, owner=None, confidence=0.75, **product):
    await make_product(db, **product)
    message = await classified_message(db, text=QUESTION, confidence=confidence, owner=owner)
    suggestion = await decide_message(db, message.id)
    assert suggestion.status == "pending", suggestion.reasons
    return suggestion


async def _sent_texts(db, conversation_id) -> list[str]:
    return list(await db.scalars(select(Message.text).where(Message.conversation_id == conversation_id,
                                                            Message.direction == Direction.outbound)))


async def test_knowledge_entries_are_versioned_and_for_admins_only(client, db):
    admin, rep = await make_user(db, role=Role.admin), await make_user(db)
    created = await client.post("/api/v1/ai/knowledge", headers=auth_headers(admin), json={
        "topic": "shipping", "title": "Shipping", "body": "We ship in 2 days.", "intents": ["shipping"]})
    assert created.status_code == 201 and created.json()["version"] == 1
    entry = created.json()["id"]
    changed = await client.patch(f"/api/v1/ai/knowledge/{entry}", headers=auth_headers(admin),
                                 json={"body": "We ship in 3 days."})
    assert changed.json()["version"] == 2
    versions = (await client.get(f"/api/v1/ai/knowledge/{entry}/versions", headers=auth_headers(admin))).json()
    assert [(v["version"], v["body"]) for v in versions] == [(2, "We ship in 3 days."), (1, "We ship in 2 days.")]
    taken = await client.post("/api/v1/ai/knowledge", headers=auth_headers(admin), json={
        "topic": "shipping", "title": "Again", "body": "x"})
    assert taken.status_code == 409 and taken.headers["content-type"] == "application/problem+json"
    bad = await client.post("/api/v1/ai/knowledge", headers=auth_headers(admin), json={
        "topic": "hours", "title": "Hours", "body": "9-5", "intents": ["gossip"]})
    assert bad.status_code == 422
    assert (await client.get("/api/v1/ai/knowledge", headers=auth_headers(rep))).status_code == 403
    assert (await client.delete(f"/api/v1/ai/knowledge/{entry}", headers=auth_headers(admin))).status_code == 204
    assert (await client.get("/api/v1/ai/knowledge", headers=auth_headers(admin))).json() == []


async def test_policy_defaults_and_partial_changes(client, db):
    admin, rep = await make_user(db, role=Role.admin), await make_user(db)
    policy = (await client.get("/api/v1/ai/policy", headers=auth_headers(admin))).json()
    assert (policy["mode"], policy["auto_send_threshold"], policy["approval_threshold"]) == ("live", 0.9, 0.6)
    assert {k: policy["intent_rules"][k] for k in ("complaint", "returns_refund", "partnership", "out_of_scope",
                                                   "spam", "pricing")} == {
        "complaint": "approval_only", "returns_refund": "approval_only", "partnership": "approval_only",
        "out_of_scope": "approval_only", "spam": "never_reply", "pricing": "auto"}
    crossed = await client.patch("/api/v1/ai/policy", headers=auth_headers(admin), json={"approval_threshold": 0.95})
    assert crossed.status_code == 422 and crossed.headers["content-type"] == "application/problem+json"
    for field in ("intent_rules", "mode", "auto_send_threshold"):  # found by `make fuzz`: null was a 500
        nulled = await client.patch("/api/v1/ai/policy", headers=auth_headers(admin), json={field: None})
        assert nulled.status_code == 422, (field, nulled.text)
    changed = await client.patch("/api/v1/ai/policy", headers=auth_headers(admin),
                                 json={"mode": "shadow", "intent_rules": {"pricing": "approval_only"}})
    assert changed.status_code == 200
    after = (await client.get("/api/v1/ai/policy", headers=auth_headers(admin))).json()
    assert (after["mode"], after["approval_threshold"]) == ("shadow", 0.6)
    assert (after["intent_rules"]["pricing"], after["intent_rules"]["spam"]) == ("approval_only", "never_reply")
    assert (await client.patch("/api/v1/ai/policy", headers=auth_headers(rep), json={"mode": "off"})).status_code == 403


async def test_managers_read_and_change_the_policy_audited_with_who_and_the_diff_and_reps_may_not(client, db):
    manager, rep = await make_user(db, role=Role.manager), await make_user(db)
    assert (await client.get("/api/v1/ai/policy", headers=auth_headers(manager))).json()["auto_send_threshold"] == 0.9
    changed = await client.patch("/api/v1/ai/policy", headers=auth_headers(manager),
                                 json={"auto_send_threshold": 0.93, "intent_rules": {"returns_refund": "never_reply"}})
    assert changed.status_code == 200 and changed.json()["auto_send_threshold"] == 0.93
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "reply_policy.updated")
                            .order_by(AuditEntry.occurred_at.desc()).limit(1))
    assert (entry.actor_id, entry.actor_email) == (manager.id, manager.email)
    assert (entry.before["auto_send_threshold"], entry.after["auto_send_threshold"]) == (0.9, 0.93)
    assert entry.after["intent_rules"]["returns_refund"] == "never_reply"
    assert (await client.get("/api/v1/ai/policy", headers=auth_headers(rep))).status_code == 403
    refused = await client.patch("/api/v1/ai/policy", headers=auth_headers(rep), json={"mode": "off"})
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert (await client.get("/api/v1/ai/policy", headers=auth_headers(manager))).json()["mode"] == "live"


async def test_suggestions_are_listed_as_their_conversations_are_visible(client, db):
    rep, other = await make_user(db), await make_user(db)
    mine = await _pending(db, owner=rep)
    theirs = await _pending(db, owner=other, title="Alpaca Beanie", sku="BEANIE-1")
    listed = (await client.get("/api/v1/suggestions?status=pending", headers=auth_headers(rep))).json()["items"]
    ids = {s["id"] for s in listed}
    assert str(mine.id) in ids and str(theirs.id) not in ids
    item = next(s for s in listed if s["id"] == str(mine.id))
    assert item["decision"] == "approval" and item["grounding"] == {"ok": True, "failed_claims": []}
    assert any(f["field"] == "price" and f["value"] == "18.00 EUR" for f in item["facts"])
    assert (await client.get(f"/api/v1/suggestions/{theirs.id}", headers=auth_headers(rep))).status_code == 404
    assert (await client.get(f"/api/v1/suggestions/{theirs.id}/audit", headers=auth_headers(rep))).status_code == 404
    by_conversation = (await client.get(f"/api/v1/suggestions?conversation_id={mine.conversation_id}",
                                        headers=auth_headers(rep))).json()["items"]
    assert [s["id"] for s in by_conversation] == [str(mine.id)]


async def test_approving_sends_the_draft_as_written(client, db):
    rep = await make_user(db)
    suggestion = await _pending(db, owner=rep)
    answer = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(rep), json={})
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    assert await _sent_texts(db, suggestion.conversation_id) == [suggestion.draft_text]
    again = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(rep), json={})
    assert again.status_code == 409 and len(await _sent_texts(db, suggestion.conversation_id)) == 1


async def _on_chat(db, suggestion, kind: str, wrote_ago: timedelta) -> None:
    """The suggestion's conversation moved to a chat channel whose customer wrote `wrote_ago` ago."""
    conversation = await db.get(Conversation, suggestion.conversation_id)
    channel = await db.get(Channel, conversation.channel_id)
    channel.kind = kind
    channel.settings = {"phone_number_id": "106540352242922"} if kind == "whatsapp" else {"page_id": "102938475610"}
    conversation.last_inbound_at = utcnow() - wrote_ago
    await db.flush()


async def test_approving_after_the_whatsapp_window_points_at_templates_and_sends_nothing(client, db):
    rep = await make_user(db)
    suggestion = await _pending(db, owner=rep)
    await _on_chat(db, suggestion, "whatsapp", timedelta(days=2))
    answer = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(rep), json={})
    assert answer.status_code == 409 and answer.json()["title"] == "Reply window closed"
    assert "approved template" in answer.json()["detail"] and "/templates" in answer.json()["detail"]
    assert await _sent_texts(db, suggestion.conversation_id) == []
    assert (await client.get(f"/api/v1/suggestions/{suggestion.id}", headers=auth_headers(rep))).json()[
        "status"] == "pending"


async def test_a_person_approving_on_messenger_within_7_days_sends_it_as_theirs(client, db):
    rep = await make_user(db)
    suggestion = await _pending(db, owner=rep)
    await _on_chat(db, suggestion, "messenger", timedelta(days=3))
    answer = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(rep), json={})
    assert answer.status_code == 200, answer.text
    sent = await db.scalar(select(Message).where(Message.conversation_id == suggestion.conversation_id,
                                                 Message.direction == Direction.outbound))
    assert sent.text == suggestion.draft_text and sent.author_id == rep.id  # a person's: tagged HUMAN_AGENT


async def test_an_edit_is_grounded_again_and_its_diff_audited(client, db):
    rep = await make_user(db)
    suggestion = await _pending(db, owner=rep)
    url = f"/api/v1/suggestions/{suggestion.id}/approve"
    invented = suggestion.draft_text.replace("18.00 EUR", "14.00 EUR")
    refused = await client.post(url, headers=auth_headers(rep), json={"text": invented})
    assert refused.status_code == 422 and refused.json()["type"] == "/problems/ungrounded-reply"
    assert [c["claim"] for c in refused.json()["failed_claims"]] == ["14.00 EUR"]
    assert await _sent_texts(db, suggestion.conversation_id) == []
    edited = suggestion.draft_text.replace("Best regards", "Thanks for asking!\n\nBest regards")
    answer = await client.post(url, headers=auth_headers(rep), json={"text": edited})
    assert answer.status_code == 200 and answer.json()["status"] == "edited"
    assert await _sent_texts(db, suggestion.conversation_id) == [edited]
    trail = (await client.get(f"/api/v1/suggestions/{suggestion.id}/audit", headers=auth_headers(rep))).json()
    assert [e["action"] for e in trail] == ["decided", "edited"]
    assert trail[1]["actor_id"] == str(rep.id) and "+Thanks for asking!" in trail[1]["data"]["diff"]
    assert trail[0]["data"]["confidence"] == 0.75 and trail[0]["data"]["message"]["own_words"]
    example = await db.get(TrainingExample, uuid.UUID(trail[1]["data"]["training_example_id"]))
    assert (example.text, example.intent, example.created_by_id) == (
        trail[0]["data"]["message"]["own_words"], "pricing", rep.id)  # the confirmed intent, for the next retrain


async def test_a_draft_whose_price_changed_since_is_not_sent_as_it_was(client, db):
    rep = await make_user(db)
    suggestion = await _pending(db, owner=rep)
    variant = await db.scalar(select(ProductVariant).where(ProductVariant.sku == "SOCK-MER-M"))
    variant.price = 21
    await db.flush()
    refused = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(rep), json={})
    assert refused.status_code == 422
    assert [c["claim"] for c in refused.json()["failed_claims"]] == ["18.00 EUR"]


async def test_rejecting_records_the_reason_and_sends_nothing(client, db):
    rep = await make_user(db)
    suggestion = await _pending(db, owner=rep)
    examples = await db.scalar(select(func.count()).select_from(TrainingExample))
    answer = await client.post(f"/api/v1/suggestions/{suggestion.id}/reject", headers=auth_headers(rep),
                               json={"reason": "The customer asked about the wool blend, not the price."})
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["reject_reason"]) == (
        "rejected", "The customer asked about the wool blend, not the price.")
    assert await _sent_texts(db, suggestion.conversation_id) == []
    assert await db.scalar(select(func.count()).select_from(TrainingExample)) == examples  # no intent confirmed
    approve = await client.post(f"/api/v1/suggestions/{suggestion.id}/approve", headers=auth_headers(rep), json={})
    assert approve.status_code == 409


@pytest.mark.parametrize("statement", [
    "UPDATE reply_suggestion_audit SET data = '{}'::jsonb WHERE suggestion_id = :id",
    "DELETE FROM reply_suggestion_audit WHERE suggestion_id = :id"])
async def test_audit_rows_cannot_be_changed_or_removed_even_with_sql(db, statement):
    suggestion = await _pending(db)
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.begin_nested():
            await db.execute(text(statement), {"id": suggestion.id})
    assert await db.scalar(text("SELECT count(*) FROM reply_suggestion_audit WHERE suggestion_id = :id"),
                           {"id": suggestion.id}) == 1


async def test_admins_export_the_audit_of_a_date_range_as_csv(client, db):
    admin, rep = await make_user(db, role=Role.admin), await make_user(db)
    suggestion = await _pending(db, owner=rep)
    await client.post(f"/api/v1/suggestions/{suggestion.id}/reject", headers=auth_headers(rep),
                      json={"reason": "=HYPERLINK(\"http://evil.example\")"})
    since, until = (utcnow() - timedelta(hours=1)).isoformat(), (utcnow() + timedelta(hours=1)).isoformat()
    answer = await client.get("/api/v1/suggestions/audit.csv", headers=auth_headers(admin),
                              params={"since": since, "until": until})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))))
    assert lines[0] == ["occurred_at", "suggestion_id", "action", "actor_id", "actor_email", "data"]
    mine = [line for line in lines[1:] if line[1] == str(suggestion.id)]
    assert [line[2] for line in mine] == ["decided", "rejected"]
    assert json.loads(mine[1][5]) == {"reason": "=HYPERLINK(\"http://evil.example\")"} and mine[1][3] == str(rep.id)
    earlier = await client.get("/api/v1/suggestions/audit.csv", headers=auth_headers(admin),
                               params={"since": "2020-01-01T00:00:00Z", "until": "2020-01-02T00:00:00Z"})
    assert earlier.text.lstrip("\ufeff").splitlines()[1:] == []
    backwards = await client.get("/api/v1/suggestions/audit.csv", headers=auth_headers(admin),
                                 params={"since": until, "until": since})
    assert backwards.status_code == 422
    assert (await client.get("/api/v1/suggestions/audit.csv", headers=auth_headers(rep),
                             params={"since": since, "until": until})).status_code == 403
