"""Calibration from reviewed suggestions: precision per band and intent, auto-send share per threshold."""

from mancrel.core.permissions import Role
from mancrel.reply.models import Suggestion
from tests.factories import auth_headers, make_user
from tests.reply.factories import classified_message

ROWS = [  # intent, confidence, decision, status
    ("pricing", 0.65, "approval", "approved"), ("pricing", 0.68, "approval", "rejected"),
    ("shipping", 0.85, "approval", "edited"), ("pricing", 0.93, "approval", "approved"),
    ("pricing", 0.97, "auto_send", "sent"), ("spam", 0.99, "ignore", "ignored"),
    ("other", 0.4, "escalate", "escalated"),
]


async def test_precision_per_band_and_intent_and_the_auto_send_share_per_threshold(client, db):
    admin = await make_user(db, role=Role.admin)
    for intent, confidence, decision, status in ROWS:
        message = await classified_message(db, text="a question", intent=intent, confidence=confidence)
        db.add(Suggestion(message_id=message.id, conversation_id=message.conversation_id, intent=intent,
                          confidence=confidence, confidence_parts={}, decision=decision, reasons=[], status=status,
                          facts=[], grounding={}, usage={}))
    await db.flush()
    report = (await client.get("/api/v1/ai/calibration", headers=auth_headers(admin))).json()
    assert (report["decided"], report["reviewed"]) == (6, 4)  # the ignored spam is not a decision
    bands = {(b["low"], b["high"]): b for b in report["bands"]}
    assert (bands[(0.6, 0.7)]["reviewed"], bands[(0.6, 0.7)]["precision"]) == (2, 0.5)
    assert (bands[(0.8, 0.9)]["accepted"], bands[(0.8, 0.9)]["unchanged"]) == (1, 0)
    assert report["intents"]["pricing"] == {"reviewed": 3, "accepted": 2, "unchanged": 2, "precision": 0.6667,
                                            "unchanged_share": 0.6667}
    at = {t["threshold"]: t for t in report["thresholds"]}
    assert (at[0.9]["auto_send_share"], at[0.9]["reviewed"], at[0.9]["precision"]) == (0.3333, 1, 1.0)
    assert (at[0.6]["auto_send_share"], at[0.6]["precision"]) == (0.8333, 0.75)
    manager = await make_user(db, role=Role.manager)  # who sets the policy beside this report (issue 22)
    assert (await client.get("/api/v1/ai/calibration", headers=auth_headers(manager))).json() == report
    rep = await make_user(db)
    assert (await client.get("/api/v1/ai/calibration", headers=auth_headers(rep))).status_code == 403
