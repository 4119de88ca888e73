"""The one place an outbound message becomes `failed`, whatever the channel or the cause (the SMTP
server's refusal, a bounce, Meta's refusal or its `failed` status, a reply that waited past Meta's
window, an uncertain attempt, a send job that gave up).

The product promises nobody is ignored, and a reply that never reached the customer answers nobody:
the conversation comes back to the team (`open` again), browsers hear of the message and the
conversation, and `reply.outbound_failed` (after commit) gives a person a task to answer, with the
automatic reply's suggestion marked as not sent. A failure reported again (a bounce after the SMTP
refusal, Meta's webhook delivered twice) changes nothing: the message row is locked and read first.
"""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel.repository import ChannelRepository
from mancrel.deadletter import failures as dead_letters
from mancrel.inbox.models import ConversationStatus, DeliveryStatus, Direction, Message
from mancrel.inbox.repository import InboxRepository
from mancrel.inbox.store import owner_of, publish_conversation_event, publish_message_event
from mancrel.worker.outbox import enqueue

FOLLOW_UP_JOB = "reply.outbound_failed"
# Its counterpart: a reply that failed and then reached the customer after all (sent again by a person or by
# a dead-letter replay, or an uncertain attempt that did get through) closes what its failure opened.
RECOVERED_JOB = "reply.outbound_recovered"
# The channels' send jobs (store.queue_outbound's callers name them): one that gives up leaves its message
# failed, not "queued" or "sending" where nobody looks.
SEND_JOBS = ("email.send_message", "channel.send_meta_message")
# The send jobs' mark of a failure that may be sent again when its dead letter is replayed.
GAVE_UP = "gave up after"
# How every channel's reason for an attempt that may have reached the customer begins (channel/tasks.py,
# channel/meta_tasks.py, the dead-letter hook below): sending it again needs a person's confirmation.
UNCERTAIN = "delivery uncertain"


def is_uncertain(message: Message) -> bool:
    return message.status == DeliveryStatus.failed and (message.failure_reason or "").startswith(UNCERTAIN)


async def fail_outbound(session: AsyncSession, message_id: uuid.UUID, reason: str) -> Message | None:
    """Record that our message did not reach the customer; the message, or None when there is no
    such outbound message. Only the first report of a failure acts; a later one only puts its reason
    on the message (the newest word on why: a replayed send that failed again, a bounce after a refusal)."""
    repo = InboxRepository(session)
    message = await repo.lock_message(message_id)
    if message is None or message.direction != Direction.outbound:
        return None
    reason = (reason or "failed (no reason given)")[:2000]
    if message.status == DeliveryStatus.failed:
        message.failure_reason = reason
        await session.flush()
        return message
    message.status, message.failure_reason = DeliveryStatus.failed, reason
    conversation = await repo.get_conversation(message.conversation_id)
    if conversation is not None and conversation.status != ConversationStatus.open:
        conversation.status = ConversationStatus.open  # waiting on us again, not on the customer
        conversation.snoozed_until = None
    await session.flush()
    if conversation is not None:
        owner_id = await owner_of(session, conversation)
        publish_message_event(session, "message.updated", conversation, message, owner_id)
        publish_conversation_event(session, conversation, owner_id)
    enqueue(session, FOLLOW_UP_JOB, message_id=message.id)
    return message


async def _send_job_gave_up(session: AsyncSession, kwargs: dict[str, Any], error: BaseException) -> None:
    """A send job dead-lettered by an error its own handling did not expect (its expected ones mark the
    message themselves). Still `queued`: it never reached the provider, and a replay may send it.
    `sending`: it may have, so it is never sent again on its own."""
    message = await InboxRepository(session).get_message(uuid.UUID(str(kwargs.get("message_id"))))
    if message is None or message.status not in (DeliveryStatus.queued, DeliveryStatus.sending):
        return
    if message.status == DeliveryStatus.queued:
        reason = f"{GAVE_UP} the send job stopped, before reaching the provider: {error}"
    else:
        reason = (f"{UNCERTAIN}: the send job stopped while sending ({error}); check with the customer "
                  "before resending")
    await fail_outbound(session, message.id, reason)
    # Sending is broken in a way the job did not foresee: the channel's health says so until a send works.
    await ChannelRepository(session).record_health(message.channel_id, error=f"sending failed: {reason}")


for _job in SEND_JOBS:
    dead_letters.on_dead_letter(_job, _send_job_gave_up)
