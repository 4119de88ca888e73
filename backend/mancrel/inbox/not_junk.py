"""A person's "Not junk": a conversation the junk gate set aside moves into the inbox as a customer's.

What the gate skipped happens now: the sender becomes a contact (found by address, else a new lead),
the conversation is theirs and open, and its newest customer message is classified (and goes on
to the reply step) as if it had just arrived. When the mail was relayed by a contact form (From a
no-reply address, Reply-To a person), the person is the sender from here on, so a reply reaches
them. Audited as `conversation.not_junk`, with what the gate had said.
"""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.channel.models import Channel
from mancrel.contact import service as contact_service
from mancrel.inbox import form_relay
from mancrel.inbox.models import Conversation, ConversationStatus, Direction, Message
from mancrel.inbox.repository import InboxRepository
from mancrel.inbox.service import shop_addresses
from mancrel.worker.outbox import enqueue


def _sender(message: Message, channel: Channel | None) -> tuple[str, str]:
    """Who wrote it: the Reply-To person of a form relay, else the From."""
    shop = shop_addresses(channel) if channel is not None else set()
    if form_relay.is_relay_sender(message.sender, shop_addresses=shop):
        person = form_relay.reply_to_person((message.headers or {}).get("reply-to"), shop_addresses=shop)
        if person is not None:
            return person[0].lower()[:320], person[1]
    return message.sender, message.sender_name or ""


async def move_to_inbox(session: AsyncSession, *, conversation: Conversation, actor: Any) -> None:
    if not conversation.is_junk:
        return
    thread = await InboxRepository(session).messages_of(conversation.id, limit=500, after=None)
    inbound = [m for m in thread if m.direction == Direction.inbound]
    channel = await session.get(Channel, conversation.channel_id)
    before = {"is_junk": True, "counterpart": conversation.counterpart, "contact_id": None,
              "junk_reason": next((m.junk_reason for m in reversed(inbound) if m.junk_reason), None)}
    address, name = _sender(inbound[-1], channel) if inbound else (conversation.counterpart, "")
    matches = await contact_service.find_by_email(session, address)
    contact = matches[0] if matches else await contact_service.create_from_channel(
        session, email=address, name=name, source="email", owner_id=getattr(channel, "default_owner_id", None))
    for message in inbound:
        if message.sender == conversation.counterpart:
            message.sender, message.sender_name = address, name or message.sender_name
        message.is_junk, message.junk_reason = False, None
    conversation.is_junk, conversation.contact_id, conversation.counterpart = False, contact.id, address
    conversation.status, conversation.snoozed_until = ConversationStatus.open, None
    if inbound:
        newest = inbound[-1]
        conversation.last_inbound_at = newest.occurred_at
        conversation.unread_count = max(conversation.unread_count or 0, 1)
        newest.processed_at = None  # waiting for the classifier, as a new customer message does
        await session.flush()
        await contact_service.record_contact_made(session, contact_id=contact.id, at=newest.occurred_at)
        enqueue(session, "ai.process_message", message_id=newest.id)
    await session.flush()
    await audit_service.record(session, actor=actor, action="conversation.not_junk", entity_type="conversation",
                               entity_id=conversation.id, before=before,
                               after={"is_junk": False, "counterpart": address, "contact_id": str(contact.id)})
