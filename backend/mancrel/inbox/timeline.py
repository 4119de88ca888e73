"""Messages on contact, company and deal timelines (the `message` kind the timeline reserves).

A deal's timeline shows its contact's messages; a company's, the messages of its contacts. Junk
never appears; visibility is the conversation's (core/permissions).
"""

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.contact.models import Contact
from mancrel.core.permissions import Actor, visible_filter
from mancrel.deal.models import Deal
from mancrel.inbox.models import Conversation, Message
from mancrel.inbox.schemas import MessageRead
from mancrel.timeline.sources import EntityType, Source, register


def _messages(entity_type: EntityType, entity_id: uuid.UUID, actor: Actor) -> Select:
    stmt = (select(Message.occurred_at.label("at"), Message.id.label("id"))
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Message.is_junk.is_(False), visible_filter(Conversation, actor)))
    if entity_type == "contact":
        return stmt.where(Conversation.contact_id == entity_id)
    if entity_type == "company":
        return stmt.where(Conversation.contact_id.in_(select(Contact.id).where(Contact.company_id == entity_id)))
    return stmt.where(Conversation.contact_id.in_(select(Deal.contact_id).where(Deal.id == entity_id)))


async def _load(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    rows = await session.scalars(select(Message).where(Message.id.in_(ids)))
    return {m.id: MessageRead.model_validate(m).model_dump(exclude={"html"}) for m in rows}


register(Source(kind="message", query=_messages, load=_load))
