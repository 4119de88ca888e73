"""Merging two contacts into one, and undoing it.

The primary keeps its values; it gains the other's emails, phones and tags, fills its empty
fields from the other, and takes over its deals, activities and inbox conversations (with their
messages), so the person's threads from two addresses or channels show under one contact. The
other is soft-deleted.
A `ContactMerge` row keeps the primary's previous values and the moved ids, so `undo` can
put everything back as long as nobody has changed the primary since.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity import service as activity_service
from mancrel.ai import search_index
from mancrel.audit import service as audit_service
from mancrel.contact import service as contact_service
from mancrel.contact.exceptions import ContactNotFound, InvalidMerge, MergeNeedsManager, MergeNotFound, MergeNotUndoable
from mancrel.contact.merge_models import ContactMerge
from mancrel.contact.models import Contact, LifecycleStage
from mancrel.contact.repository import ContactRepository
from mancrel.core import normalise
from mancrel.core.db import utcnow
from mancrel.core.permissions import Actor
from mancrel.deal import service as deal_service
from mancrel.inbox.repository import InboxRepository
from mancrel.worker.outbox import enqueue

LISTS = ("emails", "phones", "tags")
FILLED = ("first_name", "last_name", "title", "company_id", "source", "whatsapp_id", "messenger_psid",
          "last_contacted_at", "owner_id")
KEPT = (*LISTS, *FILLED, "custom_fields", "lifecycle_stage")
_PARSE = {"company_id": uuid.UUID, "owner_id": uuid.UUID, "last_contacted_at": datetime.fromisoformat,
          "lifecycle_stage": LifecycleStage}


def _absorb(primary: Contact, other: Contact) -> None:
    for name in LISTS:
        setattr(primary, name, normalise.unique([*getattr(primary, name), *getattr(other, name)]))
    for name in FILLED:
        if getattr(primary, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(primary, name, getattr(other, name))
    if other.last_contacted_at and primary.last_contacted_at and other.last_contacted_at > primary.last_contacted_at:
        primary.last_contacted_at = other.last_contacted_at
    primary.custom_fields = {**other.custom_fields, **primary.custom_fields}


async def merge(session: AsyncSession, *, primary: Contact, other_id: uuid.UUID, actor: Actor) -> ContactMerge:
    if other_id == primary.id:
        raise InvalidMerge("A contact cannot be merged into itself.",
                           errors=[{"field": "other_id", "in": "body", "message": "same contact"}])
    other = await contact_service.get_visible(session, other_id, actor)
    await _check_nothing_hidden(session, other, actor)
    before = audit_service.snapshot(primary, KEPT)
    _absorb(primary, other)
    other.deleted_at = utcnow()
    # Only records the actor sees move (the check above says that is all of them; the filter keeps
    # it so should another rep attach a deal in between).
    moved = {
        "deals": [str(i) for i in await deal_service.reassign_contact(
            session, from_contact_id=other.id, to_contact_id=primary.id, actor=actor)],
        "activities": [str(i) for i in await activity_service.reassign_contact(
            session, from_contact_id=other.id, to_contact_id=primary.id, actor=actor)],
        "conversations": [str(i) for i in await _move_conversations(session, other.id, primary.id)],
    }
    await search_index.remove_record(session, entity_type="contact", entity_id=other.id)
    await session.flush()
    record = ContactMerge(primary_id=primary.id, merged_id=other.id, moved=moved, merged_by_id=actor.id,
                          primary_before={**before, "_version": primary.version})
    session.add(record)
    await session.flush()
    old, new = audit_service.changed(before, audit_service.snapshot(primary, KEPT))
    await audit_service.record(session, actor=actor, action="contact.merged", entity_type="contact",
                               entity_id=primary.id, before=old,
                               after={**new, "merged_id": str(other.id), "merge_id": str(record.id), **moved})
    await audit_service.record(session, actor=actor, action="contact.deleted", entity_type="contact",
                               entity_id=other.id, before={"deleted_at": None},
                               after={"deleted_at": other.deleted_at, "merged_into": str(primary.id)})
    enqueue(session, "ai.embed_contact", contact_id=primary.id)
    return record


async def _move_conversations(session: AsyncSession, from_id: uuid.UUID, to_id: uuid.UUID) -> list[uuid.UUID]:
    """Every conversation of the merged-away contact: they are the same person's threads, and
    one left on a deleted contact would show in the inbox under a name that no longer exists.
    Conversation visibility follows the contact, so no thread is handed to someone who can't
    already see the primary's."""
    repo = InboxRepository(session)
    ids = await repo.conversation_ids_of_contact(from_id)
    await repo.set_conversation_contact(ids, to_id)
    return ids


async def _check_nothing_hidden(session: AsyncSession, other: Contact, actor: Actor) -> None:
    """Refuse, without naming them, when the merged-away contact has deals or activities the actor
    cannot see: moving them would hand them over, and leaving them would strand them on a
    deleted contact, out of their owner's reach."""
    if (await deal_service.hides_from(session, contact_id=other.id, actor=actor)
            or await activity_service.hides_from(session, contact_id=other.id, actor=actor)):
        raise MergeNeedsManager("Deals or activities of other people are linked to this contact; "
                                "ask a manager to merge it.")


async def get_visible_merge(session: AsyncSession, merge_id: uuid.UUID, actor: Actor) -> ContactMerge:
    """A merge whose (live) primary contact `actor` may see."""
    record = await ContactRepository(session).get_merge(merge_id)
    if record is None:
        raise MergeNotFound(f"No merge with id {merge_id}.")
    try:
        await contact_service.get_visible(session, record.primary_id, actor)
    except ContactNotFound as exc:
        raise MergeNotFound(f"No merge with id {merge_id}.") from exc
    return record


async def undo(session: AsyncSession, *, record: ContactMerge, actor: Actor) -> Contact:
    if record.undone_at is not None:
        raise MergeNotUndoable("This merge was already undone.")
    primary = await contact_service.get(session, record.primary_id)
    other = await contact_service.get(session, record.merged_id)
    assert primary is not None and other is not None  # FK cascade removes the merge with them
    saved = dict(record.primary_before)
    if primary.version != saved.pop("_version"):
        raise MergeNotUndoable("The contact changed after the merge; undoing would lose those changes.",
                               current_etag=f'"{primary.version}"')
    if other.deleted_at is None:
        raise MergeNotUndoable("The merged contact was restored separately.")
    for name, value in saved.items():
        parse = _PARSE.get(name)
        setattr(primary, name, parse(value) if parse and value is not None else value)
    other.deleted_at = None
    await deal_service.restore_contact(session, ids=[uuid.UUID(i) for i in record.moved.get("deals", [])],
                                       contact_id=other.id)
    await activity_service.restore_contact(session, ids=[uuid.UUID(i) for i in record.moved.get("activities", [])],
                                           contact_id=other.id)
    await InboxRepository(session).set_conversation_contact(
        [uuid.UUID(i) for i in record.moved.get("conversations", [])], other.id)
    record.undone_at = utcnow()
    record.undone_by_id = actor.id
    await session.flush()
    await audit_service.record(session, actor=actor, action="contact.merge_undone", entity_type="contact",
                               entity_id=primary.id, before={"merge_id": str(record.id)},
                               after={"restored_id": str(other.id), **_ids(record.moved)})
    enqueue(session, "ai.embed_contact", contact_id=primary.id)
    enqueue(session, "ai.embed_contact", contact_id=other.id)
    return primary


def _ids(moved: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in moved.items() if k in ("deals", "activities", "conversations")}
