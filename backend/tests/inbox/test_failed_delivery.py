"""A send job that gives up on an error its own handling did not expect (dead-lettered) leaves its
reply failed, and the conversation back with the team, instead of a reply "queued" for ever."""

import uuid

from sqlalchemy import select

from mancrel.channel.models import Channel
from mancrel.core.db import commit
from mancrel.deadletter import failures as dead_letters
from mancrel.deadletter.models import DeadLetter
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, Message
from tests.factories import make_user
from tests.inbox.factories import inbound, make_channel, receive
from tests.reply.factories import follow_up_jobs


async def _dead_lettered(db, message_id, error: str) -> tuple[str, str]:
    """The job's dead letter recorded as the job runner does; the message's status and reason then."""
    await dead_letters.record(task_id=str(uuid.uuid4()), task_name="email.send_message",
                              kwargs={"message_id": str(message_id)}, error=RuntimeError(error), traceback="",
                              attempts=1)
    db.expire_all()
    message = await db.scalar(select(Message).where(Message.id == message_id))
    return message.status, message.failure_reason


async def test_a_dead_lettered_send_job_fails_its_reply_and_reopens_the_conversation(committed_db):
    db = committed_db
    rep = await make_user(db)
    channel = await make_channel(db, owner=rep)
    question = await receive(db, channel, inbound(subject="Trail jacket"))
    conversation = await db.get(Conversation, question.conversation_id)
    never_tried = await inbox_service.reply(db, conversation=conversation, text="Yes, in M.", actor=rep)
    mid_send = await inbox_service.reply(db, conversation=conversation, text="And in L.", actor=rep)
    await inbox_service.mark_sending(db, mid_send.id)
    ids, conversation_id, channel_id = (never_tried.id, mid_send.id), conversation.id, channel.id
    await commit(db)
    assert (await db.get(Conversation, conversation_id)).status == "pending"

    queued_status, queued_reason = await _dead_lettered(db, ids[0], "KeyError: 'host'")
    sending_status, sending_reason = await _dead_lettered(db, ids[1], "worker lost")

    assert queued_status == "failed" and queued_reason.startswith("gave up after the send job stopped")
    assert "KeyError: 'host'" in queued_reason  # and a replay of its dead letter may send it
    assert sending_status == "failed" and sending_reason.startswith("delivery uncertain")
    assert (await db.get(Conversation, conversation_id)).status == "open"
    # The channel's health says sending is broken (doctor and the failing gauge read it) until a send works.
    assert (await db.get(Channel, channel_id)).last_error.startswith("sending failed: delivery uncertain")
    assert [await follow_up_jobs(db, i) for i in ids] == [1, 1]
    letters = await db.scalars(select(DeadLetter.task_name).where(DeadLetter.kwargs["message_id"].astext.in_(
        [str(i) for i in ids])))
    assert list(letters) == ["email.send_message"] * 2  # the letters themselves are kept

    # A job dead-lettered after it had marked its message failed leaves it so: no second follow-up.
    assert (await _dead_lettered(db, ids[0], "550 later"))[0] == "failed"
    assert await follow_up_jobs(db, ids[0]) == 1
