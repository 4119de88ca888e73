"""`ai.process_message`: classify waiting customer messages in batches, and file the result.

A burst of mail queues one job per message, but each job takes up to `BATCH` waiting messages
(its own first) in one forward pass, so the jobs that follow mostly find their message done. Rows
are claimed with SKIP LOCKED: two workers share a burst instead of classifying it twice.

The AI-replies step (drafting, the gate, sending) continues from here, per classified message.
"""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import indexing
from mancrel.ai import service as ai_service
from mancrel.contact import service as contact_service
from mancrel.core import product_metrics
from mancrel.core.config import get_settings
from mancrel.core.db import utcnow
from mancrel.inbox import service as inbox_service
from mancrel.inbox.repository import InboxRepository
from mancrel.worker.outbox import enqueue

PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


async def process_waiting(session: AsyncSession, *, first: uuid.UUID | None = None) -> int:
    """Classify up to one batch of waiting messages; returns how many."""
    repo = InboxRepository(session)
    messages = await repo.claim_unclassified(first, get_settings().ai_message_batch)
    if not messages:
        return 0
    conversations = await repo.conversations_by_id({m.conversation_id for m in messages})
    contacts = await contact_service.get_many(session, [c.contact_id for c in conversations.values() if c.contact_id])
    owners = {cid: getattr(contacts.get(c.contact_id), "owner_id", None) for cid, c in conversations.items()}
    rows = await ai_service.classify_many(session, texts=[m.text for m in messages],
                                          owner_ids=[owners[m.conversation_id] for m in messages])
    now = utcnow()
    for message, row in zip(messages, rows, strict=True):
        message.classification_id, message.processed_at = row.id, now
        product_metrics.classified(message.created_at)
    await session.flush()
    for message, row in zip(messages, rows, strict=True):
        conversation = conversations.get(message.conversation_id)
        if conversation is None:
            continue
        triage(conversation, intent=row.intent, priority=row.priority)
        owner_id = owners[message.conversation_id]
        inbox_service.publish_message_event(session, "message.classified", conversation, message, owner_id)
        inbox_service.publish_conversation_event(session, conversation, owner_id)
        enqueue(session, "reply.decide", message_id=message.id)  # reply/decision.py: draft, gate, send
    # Customer messages join global search in the same batch (text only: see ai/indexing.py).
    await indexing.index_messages(session, [
        indexing.message_document(m, conversations[m.conversation_id], owners[m.conversation_id])
        for m in messages if m.conversation_id in conversations])
    await session.flush()
    return len(messages)


def triage(conversation, *, intent: str, priority: str | None) -> None:
    """File a classified customer message on its conversation. Its priority does not fall while the
    conversation is open: a customer chasing ("any news?") or adding photos is no less urgent than the
    complaint they opened with, and the urgent-first sort must not hide them. So the most urgent message
    sets intent and priority (a tie keeps the earlier one); a reopened closed conversation starts over
    (store.touch clears both)."""
    rank = PRIORITY_RANK.get(priority or "", 2)
    if conversation.priority_rank is not None and rank >= conversation.priority_rank:
        return
    conversation.intent, conversation.priority, conversation.priority_rank = intent, priority, rank
