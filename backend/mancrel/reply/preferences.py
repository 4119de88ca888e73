"""A contact's reply preferences (who may see the contact may change them)."""

import uuid
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.contact import service as contact_service
from mancrel.core.db import utcnow
from mancrel.reply.models import ContactReplyPreference
from mancrel.reply.repository import SuggestionRepository


async def get(session: AsyncSession, *, contact_id: uuid.UUID, actor: Any) -> bool:
    await contact_service.get_visible(session, contact_id, actor)  # 404 for a contact they cannot see
    return await SuggestionRepository(session).never_auto_reply(contact_id)


async def put(session: AsyncSession, *, contact_id: uuid.UUID, never_auto_reply: bool, actor: Any) -> bool:
    before = await get(session, contact_id=contact_id, actor=actor)
    values = {"never_auto_reply": never_auto_reply, "updated_by_id": actor.id, "updated_at": utcnow()}
    await session.execute(insert(ContactReplyPreference).values(contact_id=contact_id, **values)
                          .on_conflict_do_update(index_elements=[ContactReplyPreference.contact_id], set_=values))
    await audit_service.record(session, actor=actor, action="contact.reply_preferences_updated",
                               entity_type="contact", entity_id=contact_id,
                               before={"never_auto_reply": before}, after={"never_auto_reply": never_auto_reply})
    return never_auto_reply
