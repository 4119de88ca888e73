"""A failed reply sent again: a person's "Send again" in the conversation.

The same message row goes back to `queued` and to its channel's normal send job (one bubble in the
thread, whatever happens next; `send_attempts` counts the tries, `resent_at` / `resent_by_id` say the
latest resend). Its email keeps its Message-ID, so a copy that did reach the customer's mailbox is
recognised as the same mail. The channel's rules apply as for a new reply: a typed WhatsApp or
Messenger reply only within Meta's window (an approved template at any time), email always. A reply
whose attempt may have reached the customer ("delivery uncertain") is sent again only when the person
confirms it. What the failure opened (the task, the escalation) is closed only once the reply is sent:
inbox/service.py queues `reply.outbound_recovered` then.

The row is locked first: two clicks, or a retried request, send once (the second finds it queued: 409).
"""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.channel.models import Channel
from mancrel.core.db import utcnow
from mancrel.inbox.chat import CHAT_KINDS, SEND_JOB, free_text_refusal
from mancrel.inbox.delivery_failure import is_uncertain
from mancrel.inbox.exceptions import (
    CannotReply,
    DeliveryUncertain,
    MessageNotFound,
    NotResendable,
    ReplyWindowClosed,
)
from mancrel.inbox.models import Conversation, ConversationStatus, DeliveryStatus, Direction, Message
from mancrel.inbox.repository import InboxRepository
from mancrel.inbox.store import owner_of, publish_conversation_event, publish_message_event
from mancrel.worker.outbox import enqueue

EMAIL_SEND_JOB = "email.send_message"
_NOT_FAILED = {DeliveryStatus.queued: "is queued to be sent already", DeliveryStatus.sending: "is being sent now",
               DeliveryStatus.sent: "was sent", DeliveryStatus.delivered: "was delivered",
               DeliveryStatus.read: "was read by the customer"}


async def resend(session: AsyncSession, *, conversation: Conversation, message_id: uuid.UUID, actor: Any,
                 confirm_uncertain: bool = False) -> Message:
    """Queue a failed reply of ours again through its channel's send job; nothing changes on refusal."""
    message = await InboxRepository(session).lock_message(message_id)
    if message is None or message.conversation_id != conversation.id:
        raise MessageNotFound(f"No message with id {message_id} in this conversation.")
    _check_resendable(message, confirm_uncertain)
    send_job = await _send_job(session, conversation, message)
    previous = message.failure_reason
    message.status, message.failure_reason = DeliveryStatus.queued, None
    message.resent_at, message.resent_by_id = utcnow(), actor.id
    if conversation.status == ConversationStatus.open:
        conversation.status = ConversationStatus.pending  # answered again: waiting for the customer
    await session.flush()
    enqueue(session, send_job, message_id=message.id)
    await audit_service.record(
        session, actor=actor, action="message.resent", entity_type="message", entity_id=message.id,
        before={"status": DeliveryStatus.failed, "failure_reason": previous},
        after={"status": message.status, "conversation_id": conversation.id, "confirmed_uncertain": confirm_uncertain})
    owner_id = await owner_of(session, conversation)
    publish_message_event(session, "message.updated", conversation, message, owner_id)
    publish_conversation_event(session, conversation, owner_id)
    return message


def _check_resendable(message: Message, confirm_uncertain: bool) -> None:
    if message.direction != Direction.outbound:
        raise NotResendable("This is the customer's message; only a reply of ours that failed can be sent again.")
    if message.status != DeliveryStatus.failed:
        raise NotResendable(f"This reply {_NOT_FAILED.get(message.status, message.status)}; only a failed reply "
                            "can be sent again.")
    if is_uncertain(message) and not confirm_uncertain:
        raise DeliveryUncertain(
            "The last attempt was interrupted after the reply was handed over, so it may already have reached the "
            "customer. Check with them, then send it again with confirm_uncertain: true.",
            confirm_field="confirm_uncertain")


async def _send_job(session: AsyncSession, conversation: Conversation, message: Message) -> str:
    """The channel's send job, after the checks a new reply passes (CannotReply, ReplyWindowClosed)."""
    channel = await session.get(Channel, message.channel_id)
    if channel is None or not channel.enabled:
        raise CannotReply("The conversation's channel is disabled or gone.")
    if channel.kind in CHAT_KINDS:
        if (message.headers or {}).get("kind") == "template":
            return SEND_JOB  # an approved template may go out at any time
        # As the send job will judge it: a person's reply may use Messenger's 7 days, the reply step's not.
        refusal = free_text_refusal(channel.kind, channel.id, conversation.last_inbound_at, utcnow(),
                                    human=message.author_id is not None)
        if refusal:
            raise ReplyWindowClosed(f"Outside the reply window, so this reply cannot be sent again as it is. {refusal}")
        return SEND_JOB
    if channel.kind != "email" or not (channel.settings or {}).get("smtp"):
        raise CannotReply("The conversation's channel has no outgoing mail server (settings.smtp) to send through.")
    return EMAIL_SEND_JOB
