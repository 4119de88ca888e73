"""Contact use cases. Flushes, never commits."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import search_index
from mancrel.audit import service as audit_service
from mancrel.company import service as company_service
from mancrel.contact.exceptions import ContactNotFound, DuplicateContact
from mancrel.contact.models import Contact, LifecycleStage
from mancrel.contact.repository import ContactRepository
from mancrel.contact.schemas import ContactCreate, ContactUpdate
from mancrel.core.db import utcnow
from mancrel.core.errors import Forbidden
from mancrel.core.listing import Sort
from mancrel.core.permissions import Actor, can_assign_to
from mancrel.core.record_filters import RecordFilters
from mancrel.customfield import service as customfield_service
from mancrel.worker.outbox import enqueue


def _check_owner(actor: Actor, owner_id: uuid.UUID | None) -> None:
    if not can_assign_to(actor, owner_id):
        raise Forbidden("Reps can keep records for themselves or leave them unassigned, not assign them to others.")


async def check_duplicate(session: AsyncSession, *, emails: list[str], phones: list[str],
                          exclude_id: uuid.UUID | None = None) -> None:
    """409 naming the existing contact. Its id is given even if the caller cannot see it:
    it is what lets a rep ask its owner instead of creating a second record."""
    repository = ContactRepository(session)
    await repository.lock_identities(emails, phones)  # a concurrent twin waits, then sees this one
    existing = await repository.find_duplicate(emails, phones, exclude_id=exclude_id)
    if existing is None:
        return
    shared = sorted(set(existing.emails) & set(emails)) + sorted(set(existing.phones) & set(phones))
    raise DuplicateContact(f"A contact already has {', '.join(shared)}.", existing_id=str(existing.id),
                           matched=shared)


async def _check_company(session: AsyncSession, company_id: uuid.UUID | None, actor: Actor) -> None:
    if company_id is not None:
        await company_service.get_visible(session, company_id, actor)  # 404 if not visible


async def create(session: AsyncSession, *, data: ContactCreate, actor: Actor,
                 allow_duplicate: bool = False) -> Contact:
    owner_id = data.owner_id if "owner_id" in data.model_fields_set else actor.id
    _check_owner(actor, owner_id)
    await _check_company(session, data.company_id, actor)
    if not allow_duplicate:
        await check_duplicate(session, emails=data.emails, phones=data.phones)
    custom = await customfield_service.validate_values(session, object_type="contact", values=data.custom_fields)
    contact = Contact(**data.model_dump(exclude={"owner_id", "custom_fields"}), owner_id=owner_id,
                      custom_fields=custom)
    session.add(contact)
    await session.flush()
    await audit_service.record(session, actor=actor, action="contact.created", entity_type="contact",
                               entity_id=contact.id, after=_snapshot(contact))
    enqueue(session, "ai.embed_contact", contact_id=contact.id)
    return contact


def _snapshot(contact: Contact) -> dict[str, Any]:
    data = audit_service.snapshot(contact)
    data.pop("search_text", None)  # derived
    return data


async def _prepare_changes(session: AsyncSession, contact: Contact, data: ContactUpdate, actor: Actor,
                           allow_duplicate: bool) -> dict[str, Any]:
    changes = data.model_dump(exclude_unset=True)
    for name in ("first_name", "last_name", "lifecycle_stage", "emails", "phones", "tags"):
        if name in changes and changes[name] is None:
            del changes[name]  # required columns: null means "leave as is"
    if "owner_id" in changes and changes["owner_id"] != contact.owner_id:
        _check_owner(actor, changes["owner_id"])
    if changes.get("company_id") and changes["company_id"] != contact.company_id:
        await _check_company(session, changes["company_id"], actor)
    new_emails = [e for e in changes.get("emails", []) if e not in contact.emails]
    new_phones = [p for p in changes.get("phones", []) if p not in contact.phones]
    if not allow_duplicate and (new_emails or new_phones):
        await check_duplicate(session, emails=new_emails, phones=new_phones, exclude_id=contact.id)
    if changes.get("custom_fields") is not None:
        values = await customfield_service.validate_values(session, object_type="contact",
                                                           values=changes["custom_fields"], partial=True)
        changes["custom_fields"] = customfield_service.merge_values(contact.custom_fields, values)
    else:
        changes.pop("custom_fields", None)
    return changes


async def update(session: AsyncSession, *, contact: Contact, data: ContactUpdate, actor: Actor,
                 allow_duplicate: bool = False) -> Contact:
    changes = await _prepare_changes(session, contact, data, actor, allow_duplicate)
    before = _snapshot(contact)
    for name, value in changes.items():
        setattr(contact, name, value)
    await session.flush()
    await session.refresh(contact, ["search_text"])  # the trigger rewrote it
    old, new = audit_service.changed(before, _snapshot(contact))
    if new:
        await audit_service.record(session, actor=actor, action="contact.updated", entity_type="contact",
                                   entity_id=contact.id, before=old, after=new)
        enqueue(session, "ai.embed_contact", contact_id=contact.id)
    return contact


async def delete(session: AsyncSession, *, contact: Contact, actor: Actor) -> None:
    contact.deleted_at = utcnow()
    await session.flush()
    # Out of search in this transaction: a deleted contact answers 404, so its name and email
    # must not be found either (restore indexes it again).
    await search_index.remove_record(session, entity_type="contact", entity_id=contact.id)
    await audit_service.record(session, actor=actor, action="contact.deleted", entity_type="contact",
                               entity_id=contact.id, before={"deleted_at": None},
                               after={"deleted_at": contact.deleted_at})


async def restore(session: AsyncSession, *, contact: Contact, actor: Actor) -> Contact:
    deleted_at = contact.deleted_at
    contact.deleted_at = None
    await session.flush()
    await audit_service.record(session, actor=actor, action="contact.restored", entity_type="contact",
                               entity_id=contact.id, before={"deleted_at": deleted_at}, after={"deleted_at": None})
    enqueue(session, "ai.embed_contact", contact_id=contact.id)
    return contact


async def record_contact_made(session: AsyncSession, *, contact_id: uuid.UUID, at: datetime) -> None:
    """A call, email or meeting with the contact took place at `at` (keeps the latest)."""
    await ContactRepository(session).mark_contacted(contact_id, at)


async def get(session: AsyncSession, contact_id: uuid.UUID) -> Contact | None:
    """Internal lookup: no visibility, deleted contacts included."""
    return await ContactRepository(session).get(contact_id)


async def get_visible(session: AsyncSession, contact_id: uuid.UUID, actor: Actor) -> Contact:
    """A live contact `actor` may see, else ContactNotFound (404: existence not revealed)."""
    contact = await ContactRepository(session).get_visible(contact_id, actor)
    if contact is None:
        raise ContactNotFound(f"No contact with id {contact_id}.")
    return contact


async def get_deleted_visible(session: AsyncSession, contact_id: uuid.UUID, actor: Actor) -> Contact:
    contact = await ContactRepository(session).get_visible(contact_id, actor, deleted=True)
    if contact is None:
        raise ContactNotFound(f"No deleted contact with id {contact_id}.")
    return contact


async def list_page(session: AsyncSession, *, actor: Actor, filters: RecordFilters, sort: Sort, limit: int,
                    cursor: str | None, lifecycle: LifecycleStage | None = None,
                    company_id: uuid.UUID | None = None, deleted: bool = False) -> list[Contact]:
    custom = await customfield_service.parse_filters(session, object_type="contact", params=filters.custom)
    return await ContactRepository(session).list_page(actor, filters, custom, sort=sort, limit=limit, cursor=cursor,
                                                      lifecycle=lifecycle, company_id=company_id, deleted=deleted)


# --- contacts met on a channel (the inbox) ------------------------------------------------
async def find_by_email(session: AsyncSession, email: str) -> list[Contact]:
    """Live contacts holding this (normalised) address, most recently active first, whoever owns
    them: a merged-away contact's addresses live on in the contact it was merged into."""
    return await ContactRepository(session).by_email(email)


async def find_by_phone(session: AsyncSession, phone: str) -> list[Contact]:
    """Live contacts holding this E.164 number (normalise.phone), most recently active first."""
    return await ContactRepository(session).by_phone(phone)


async def find_by_chat_id(session: AsyncSession, *, whatsapp_id: str | None = None,
                          messenger_psid: str | None = None) -> Contact | None:
    """The contact a WhatsApp id or a Messenger page-scoped id (PSID) was met under before."""
    return await ContactRepository(session).by_chat_id(whatsapp_id=whatsapp_id, messenger_psid=messenger_psid)


async def link_chat_id(session: AsyncSession, contact: Contact, *, whatsapp_id: str | None = None,
                       phone: str | None = None) -> None:
    """Remember the WhatsApp id (and its number) on a contact found by phone, so the next
    message finds it by id even if the phone list changes."""
    if whatsapp_id and not contact.whatsapp_id:
        contact.whatsapp_id = whatsapp_id[:64]
    if phone and phone not in (contact.phones or []):
        contact.phones = [*(contact.phones or []), phone]
    await session.flush()


async def name_if_blank(session: AsyncSession, contact_id: uuid.UUID, *, first: str, last: str) -> bool:
    """Fill a channel-made contact's name (a Messenger profile fetched later); a name a rep or the
    customer already gave is left alone."""
    contact = await ContactRepository(session).get(contact_id)
    if contact is None or contact.first_name or contact.last_name or not (first or last):
        return False
    contact.first_name, contact.last_name = first.strip()[:100], last.strip()[:100]
    await session.flush()
    return True


EMBED_BATCH = "contact_embeddings_batched"  # session.info: ids collected by `embeddings_batched`


@asynccontextmanager
async def embeddings_batched(session: AsyncSession) -> AsyncIterator[None]:
    """Within: the contacts `create_from_channel` makes are embedded by ONE `ai.embed_contacts` job,
    queued when the block ends, instead of one job each (an intake batch's new senders share a
    forward pass). An error inside queues nothing: those contacts are rolled back with it."""
    session.info[EMBED_BATCH] = []
    try:
        yield
        contact_ids = session.info.get(EMBED_BATCH) or []
        if contact_ids:
            enqueue(session, "ai.embed_contacts", contact_ids=[str(c) for c in contact_ids])
    finally:
        session.info.pop(EMBED_BATCH, None)


def _embed_later(session: AsyncSession, contact_id: uuid.UUID) -> None:
    batched = session.info.get(EMBED_BATCH)
    if batched is None:
        enqueue(session, "ai.embed_contact", contact_id=contact_id)
    else:
        batched.append(contact_id)


async def create_from_channel(session: AsyncSession, *, email: str | None, name: str, source: str,
                              owner_id: uuid.UUID | None, phone: str | None = None,
                              whatsapp_id: str | None = None, messenger_psid: str | None = None) -> Contact:
    """A contact for an unknown sender, made by the system (no acting user, no role checks)."""
    first, _, last = name.strip().partition(" ")
    contact = Contact(first_name=first[:100], last_name=last.strip()[:100], emails=[email] if email else [],
                      phones=[phone] if phone else [], whatsapp_id=whatsapp_id, messenger_psid=messenger_psid,
                      source=source, owner_id=owner_id, lifecycle_stage=LifecycleStage.lead)
    session.add(contact)
    await session.flush()
    await audit_service.record(session, actor=None, action="contact.created", entity_type="contact",
                               entity_id=contact.id, after=_snapshot(contact))
    _embed_later(session, contact.id)
    return contact


async def find_by_emails(session: AsyncSession, emails: list[str]) -> dict[str, Contact]:
    """`find_by_email` for many (normalised) addresses at once: each one's most recently active
    live holder; addresses nobody holds are missing."""
    return await ContactRepository(session).by_emails(emails)


async def create_many_from_channel(session: AsyncSession, senders: list[tuple[str, str]], *, source: str,
                                   owner_id: uuid.UUID | None) -> dict[str, Contact]:
    """`create_from_channel` for many unknown (email, name) senders, in one flush."""
    contacts: dict[str, Contact] = {}
    for email, name in senders:
        first, _, last = name.strip().partition(" ")
        contacts[email] = Contact(id=uuid.uuid4(), first_name=first[:100], last_name=last.strip()[:100],
                                  emails=[email], phones=[], source=source, owner_id=owner_id,
                                  lifecycle_stage=LifecycleStage.lead)
    session.add_all(contacts.values())
    await session.flush()
    for contact in contacts.values():
        await audit_service.record(session, actor=None, action="contact.created", entity_type="contact",
                                   entity_id=contact.id, after=_snapshot(contact))
        _embed_later(session, contact.id)
    return contacts


async def record_contacts_made(session: AsyncSession, when: dict[uuid.UUID, datetime]) -> None:
    """`record_contact_made` for many contacts in one statement."""
    await ContactRepository(session).mark_contacted_many(when)


async def get_many(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Contact]:
    """Contacts by id (for lists of other records that show their contact)."""
    return await ContactRepository(session).get_many(ids)


# --- contacts from a lead form (Meta Lead Ads) ---------------------------------------------
async def find_by_identity(session: AsyncSession, *, emails: list[str], phones: list[str]) -> Contact | None:
    """The oldest live contact holding any of these (normalised) emails or phones, whoever owns it.
    Holds the identities' locks until the transaction ends, so a caller that finds none may create
    the contact without a concurrent twin doing the same."""
    repository = ContactRepository(session)
    await repository.lock_identities(emails, phones)
    return await repository.find_duplicate(emails, phones)


async def create_from_lead(session: AsyncSession, *, first_name: str, last_name: str, emails: list[str],
                           phones: list[str], custom_fields: dict[str, Any], source: str,
                           owner_id: uuid.UUID | None) -> Contact:
    """A contact made by the system from a lead form's answers (no acting user, no role checks).
    `custom_fields` are values `customfield_service.validate_values` already accepted."""
    contact = Contact(first_name=first_name[:100], last_name=last_name[:100], emails=emails, phones=phones,
                      custom_fields=custom_fields, source=source, owner_id=owner_id,
                      lifecycle_stage=LifecycleStage.lead)
    session.add(contact)
    await session.flush()
    await session.refresh(contact, ["search_text"])  # the trigger wrote it
    await audit_service.record(session, actor=None, action="contact.created", entity_type="contact",
                               entity_id=contact.id, after=_snapshot(contact))
    enqueue(session, "ai.embed_contact", contact_id=contact.id)
    return contact


async def complete_from_lead(session: AsyncSession, *, contact: Contact, emails: list[str], phones: list[str],
                             custom_fields: dict[str, Any]) -> Contact:
    """Add what a lead form told about a known contact: emails and phones no other live contact
    holds (their locks are held by `find_by_identity`), and custom values the contact has none of.
    Nothing the contact has is overwritten: a rep's edits win over a form typed in a hurry."""
    repository = ContactRepository(session)
    await repository.lock_identities(emails, phones)
    new_emails = [e for e in emails if e not in contact.emails
                  and await repository.find_duplicate([e], [], exclude_id=contact.id) is None]
    new_phones = [p for p in phones if p not in contact.phones
                  and await repository.find_duplicate([], [p], exclude_id=contact.id) is None]
    new_custom = {k: v for k, v in custom_fields.items() if contact.custom_fields.get(k) in (None, "")}
    if not (new_emails or new_phones or new_custom):
        return contact
    before = _snapshot(contact)
    contact.emails = [*contact.emails, *new_emails]
    contact.phones = [*contact.phones, *new_phones]
    contact.custom_fields = {**contact.custom_fields, **new_custom}
    await session.flush()
    await session.refresh(contact, ["search_text"])
    old, new = audit_service.changed(before, _snapshot(contact))
    await audit_service.record(session, actor=None, action="contact.updated", entity_type="contact",
                               entity_id=contact.id, before=old, after=new)
    enqueue(session, "ai.embed_contact", contact_id=contact.id)
    return contact
