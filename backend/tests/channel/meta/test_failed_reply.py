"""Meta's `failed` status on a reply the reply step sent on its own: the suggestion reads `send_failed`,
a person gets the escalation task, the conversation is open again; Meta reporting it twice (and the
follow-up job delivered twice) acts once."""

from mancrel.activity.models import Activity
from mancrel.core.permissions import Role
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, Message
from mancrel.reply import send_failure
from mancrel.reply.decision import decide_message
from tests.channel.meta.factories import ingest_all, make_meta_channel, post, wa_delivery, wa_message, wa_status
from tests.factories import make_user
from tests.reply.factories import audit_of, classify, escalations_of, follow_up_jobs, make_product

QUESTION = "Hi, how much are the Merino Hiking Socks?"


async def test_metas_failed_status_on_an_automatic_whatsapp_reply_escalates_it_once(client, db):
    owner = await make_user(db, role=Role.rep)
    await make_product(db)
    channel = await make_meta_channel(db, owner_id=owner.id)
    await post(client, channel.id, wa_delivery(wa_message(body=QUESTION)))
    [question] = await ingest_all(db, channel.id)
    await classify(db, question)
    suggestion = await decide_message(db, question.id)
    assert (suggestion.decision, suggestion.status) == ("auto_send", "sent")
    reply_id = suggestion.sent_message_id
    (await db.get(Message, reply_id)).provider_message_id = "wamid.AUTO1"  # as the send job keeps Meta's answer
    await inbox_service.mark_sent(db, reply_id)

    refusal = [{"code": 131026, "title": "Message undeliverable"}]
    for _ in range(2):  # Meta reports it twice
        await post(client, channel.id, wa_delivery(statuses=[wa_status("wamid.AUTO1", "failed", errors=refusal)]))
        await ingest_all(db, channel.id)
    assert await follow_up_jobs(db, reply_id) == 1
    for _ in range(2):  # and the job itself, delivered twice, escalates once
        await send_failure.follow_up(db, reply_id)

    await db.refresh(suggestion)
    (escalation,) = await escalations_of(db, suggestion.id)
    task = await db.get(Activity, escalation.task_id)
    assert suggestion.status == "send_failed" and "reply failed: 131026 Message undeliverable" in suggestion.reasons
    assert task.assignee_id == owner.id and "reply failed: 131026" in task.body
    assert (await db.get(Conversation, question.conversation_id)).status == "open"
    assert [a.action for a in await audit_of(db, suggestion.id)] == ["decided", "sent", "send_failed"]
