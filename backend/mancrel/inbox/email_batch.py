"""Many inbound emails of one channel taken in at once (an ingest batch's mail, channel/ingest.py).

Why: `service.receive_email` costs about fifteen statements a message (the lock, the duplicate
check, the contact, the thread, each insert and update on its own), and on a busy database every
one is a round trip; at 50 mails a second that alone was more than one worker could do. Here each
lookup is one query for the whole batch (stored ids, threads by reference, threads by subject,
contacts by address), the new contacts are one flush, and the conversations, messages, audit rows
and jobs are written by one more; the contacts' last-contact times are one UPDATE. The batch queues
one `ai.process_message` (which classifies every waiting message, up to its batch size, its own
first), not one per mail: each job costs a worker round trip even when it finds its message done.

What it promises: the same result as `receive_email` called for each mail in order. A mail
threads into a conversation started or continued earlier in the same batch (by reference or by
subject); a sender who writes twice becomes one contact; a Message-ID seen twice is stored once.
Automated mail (the junk gate) goes through `receive_email` itself: it is rare and has its own
rules (bounces). The caller runs this inside a savepoint: a flush that fails takes the whole
batch back, and the caller then stores the mails one by one.
"""

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.contact import service as contact_service
from mancrel.contact.models import Contact
from mancrel.core.db import utcnow
from mancrel.inbox import junk
from mancrel.inbox import service as inbox_service
from mancrel.inbox.inbound import InboundEmail
from mancrel.inbox.models import Conversation, Message
from mancrel.inbox.repository import InboxRepository
from mancrel.inbox.store import announce, new_conversation, touch
from mancrel.inbox.text import subject_key
from mancrel.insights.profile_signal import request_refresh
from mancrel.worker.outbox import enqueue


class _Threads:
    """Where each mail of the batch belongs: conversations found by the batch's lookups, and those
    the batch itself started or continued (the later mails of a burst join them)."""

    def __init__(self, stored: dict[str, Conversation | None], by_subject: dict[tuple[str, str], Conversation],
                 since: datetime) -> None:
        self.by_reference, self.by_subject, self.since = stored, by_subject, since

    def find(self, email: InboundEmail, sender: str) -> Conversation | None:
        for reference in inbox_service.thread_references(email):
            if reference in self.by_reference:  # the first stored one decides, as in receive_email
                conversation = self.by_reference[reference]
                if conversation is not None and not conversation.is_junk:
                    return conversation
                break
        key = subject_key(email.subject)
        found = self.by_subject.get((sender, key)) if key else None
        return found if found is not None and found.last_message_at >= self.since else None

    def remember(self, provider_id: str, conversation: Conversation) -> None:
        self.by_reference[provider_id] = conversation
        if conversation.subject_key:
            self.by_subject[(conversation.counterpart, conversation.subject_key)] = conversation


async def receive_emails(session: AsyncSession, *, channel: Any, emails: list[InboundEmail],
                         locked: bool = False) -> list[Message | None]:
    """Store the mails (in this order); for each, its message, or None when the channel already has it.
    `locked`: the caller holds the senders' intake locks already (`service.lock_senders`)."""
    repo = InboxRepository(session)
    if not locked:
        await inbox_service.lock_senders(session, [(channel.id, email) for email in emails])
    keys = [inbox_service.provider_id(email) for email in emails]
    senders = [email.from_address.strip().lower()[:320] for email in emails]
    answered = [r for email in emails for r in inbox_service.thread_references(email)]
    stored = await repo.stored_provider_ids(channel.id, keys + answered)
    shop = inbox_service.shop_addresses(channel)
    results: list[Message | None] = [None] * len(emails)
    taken: list[int] = []
    automated: list[int] = []
    seen: set[str] = set()
    for index, (email, key) in enumerate(zip(emails, keys, strict=True)):
        if key in stored or key in seen:
            continue  # a duplicate: None, as receive_email answers
        seen.add(key)
        (automated if junk.judge(email, shop_addresses=shop) is not None else taken).append(index)
    contacts = await _contacts(session, channel, [(senders[i], emails[i].from_name) for i in taken])
    threads = await _threads(repo, channel.id, stored, {(senders[i], subject_key(emails[i].subject)) for i in taken})
    contacted: dict[Any, datetime] = {}
    for index in taken:
        email, sender = emails[index], senders[index]
        contact = contacts[sender]
        results[index], occurred = _store(session, channel, threads, email, keys[index], sender, contact)
        contacted[contact.id] = max(contacted.get(contact.id, occurred), occurred)
    stored = [m for m in results if m is not None]
    if stored:  # one classification job: it takes every waiting message, its first one first (processing.py)
        enqueue(session, "ai.process_message", message_id=stored[0].id)
    await session.flush()
    await contact_service.record_contacts_made(session, contacted)
    for index in automated:
        results[index] = await inbox_service.receive_email(session, channel=channel, email=emails[index])
    return results


async def _contacts(session: AsyncSession, channel: Any, senders: list[tuple[str, str]]) -> dict[str, Contact]:
    """Each sender's contact: the most recently active holder of the address, or a new lead."""
    found = await contact_service.find_by_emails(session, sorted({address for address, _ in senders}))
    unknown: dict[str, str] = {}
    for address, name in senders:
        if address not in found:
            unknown.setdefault(address, name or "")
    if unknown:
        found |= await contact_service.create_many_from_channel(
            session, list(unknown.items()), source="email", owner_id=channel.default_owner_id)
    return found


async def _threads(repo: InboxRepository, channel_id: Any, stored: dict[str, Any],
                   pairs: set[tuple[str, str]]) -> _Threads:
    conversations = await repo.conversations_by_id(set(stored.values())) if stored else {}
    since = utcnow() - inbox_service.SUBJECT_THREAD_WINDOW
    by_subject = await repo.conversations_by_subjects(channel_id, {p for p in pairs if p[1]}, since)
    return _Threads({ref: conversations.get(cid) for ref, cid in stored.items()}, by_subject, since)


def _store(session: AsyncSession, channel: Any, threads: _Threads, email: InboundEmail, key: str, sender: str,
           contact: Contact) -> tuple[Message, datetime]:
    """One mail's rows and jobs, added to the session (flushed with the batch's)."""
    now = utcnow()
    occurred = min(email.date, now) if email.date else now
    conversation = threads.find(email, sender)
    if conversation is None:
        conversation = new_conversation(channel.id, sender, email.subject, contact_id=contact.id)
        session.add(conversation)
    if conversation.contact_id != contact.id:  # the thread's contact was merged away since
        conversation.contact_id = contact.id
    message = inbox_service.build_message(channel.id, email, key, sender, None)
    message.conversation_id = conversation.id
    session.add(message)
    for attachment in email.attachments:
        session.add(inbox_service.build_attachment(message.id, attachment))
    touch(conversation, occurred, inbound=True)
    threads.remember(key, conversation)
    # First: the profile refresh is quick, and must not wait behind a classification batch.
    request_refresh(session, contact.id)
    announce(session, conversation, message, contact)
    return message, occurred
