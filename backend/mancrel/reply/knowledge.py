"""Knowledge entries: the seller's short policy texts replies may quote, versioned on every change."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.core.db import utcnow
from mancrel.reply.exceptions import KnowledgeEntryNotFound, KnowledgeTopicTaken
from mancrel.reply.models import KnowledgeEntry, KnowledgeVersion
from mancrel.reply.repository import KnowledgeRepository
from mancrel.reply.schemas import KnowledgeCreate, KnowledgeUpdate

FIELDS = ["topic", "title", "body", "intents", "version"]


def _version(entry: KnowledgeEntry, actor: Any) -> KnowledgeVersion:
    return KnowledgeVersion(entry_id=entry.id, version=entry.version, topic=entry.topic, title=entry.title,
                            body=entry.body, intents=list(entry.intents), created_by_id=getattr(actor, "id", None))


async def get(session: AsyncSession, entry_id: uuid.UUID) -> KnowledgeEntry:
    entry = await KnowledgeRepository(session).get_live(entry_id)
    if entry is None:
        raise KnowledgeEntryNotFound(f"No knowledge entry with id {entry_id}.")
    return entry


async def list_live(session: AsyncSession) -> list[KnowledgeEntry]:
    return await KnowledgeRepository(session).list_live()


async def create(session: AsyncSession, *, data: KnowledgeCreate, actor: Any) -> KnowledgeEntry:
    if await KnowledgeRepository(session).topic_taken(data.topic):
        raise KnowledgeTopicTaken(f"The topic '{data.topic}' has an entry; change that one.")
    entry = KnowledgeEntry(id=uuid.uuid4(), **data.model_dump(), version=1, updated_by_id=actor.id)
    session.add(entry)
    await session.flush()
    session.add(_version(entry, actor))
    await audit_service.record(session, actor=actor, action="knowledge_entry.created", entity_type="knowledge_entry",
                               entity_id=entry.id, after=audit_service.snapshot(entry, FIELDS))
    await session.flush()
    return entry


async def update(session: AsyncSession, *, entry_id: uuid.UUID, data: KnowledgeUpdate, actor: Any) -> KnowledgeEntry:
    entry = await get(session, entry_id)
    changes = {k: v for k, v in data.model_dump(exclude_unset=True).items() if v is not None}
    if "topic" in changes and await KnowledgeRepository(session).topic_taken(changes["topic"], other_than=entry.id):
        raise KnowledgeTopicTaken(f"The topic '{changes['topic']}' has an entry.")
    if all(getattr(entry, k) == v for k, v in changes.items()):
        return entry  # nothing changed: no new version
    before = audit_service.snapshot(entry, FIELDS)
    for key, value in changes.items():
        setattr(entry, key, value)
    entry.version += 1
    entry.updated_by_id = actor.id
    await session.flush()
    session.add(_version(entry, actor))
    await audit_service.record(session, actor=actor, action="knowledge_entry.updated", entity_type="knowledge_entry",
                               entity_id=entry.id, before=before, after=audit_service.snapshot(entry, FIELDS))
    await session.flush()
    return entry


async def delete(session: AsyncSession, *, entry_id: uuid.UUID, actor: Any) -> None:
    """Kept as a tombstone: suggestions' audits name the versions they quoted."""
    entry = await get(session, entry_id)
    entry.deleted_at = utcnow()
    await audit_service.record(session, actor=actor, action="knowledge_entry.deleted", entity_type="knowledge_entry",
                               entity_id=entry.id, before=audit_service.snapshot(entry, FIELDS))
    await session.flush()


async def versions(session: AsyncSession, entry_id: uuid.UUID) -> list[KnowledgeVersion]:
    await get(session, entry_id)
    return await KnowledgeRepository(session).versions(entry_id)
