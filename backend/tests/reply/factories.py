"""Reply test helpers: catalogue products, a classified customer message, and knowledge entries."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai.models import Classification
from mancrel.catalog import matching
from mancrel.catalog import service as catalog_service
from mancrel.catalog.normalise import NormalisedProduct, NormalisedVariant
from mancrel.inbox.models import Message
from mancrel.reply.models import Escalation, KnowledgeEntry, SuggestionAudit
from mancrel.worker.models import OutboxMessage
from tests.catalog.factories import make_source
from tests.inbox.factories import inbound, make_channel, make_contact, receive


async def make_product(session: AsyncSession, *, title: str = "Merino Hiking Socks", sku: str | None = "SOCK-MER-M",
                       price: str = "18.00", stock: int | None = 10, currency: str = "EUR", source: Any = None,
                       variants: list[NormalisedVariant] | None = None):
    source = source or await make_source(session)
    external = uuid.uuid4().hex[:12]
    product = NormalisedProduct(
        external_id=external, source_updated_at=datetime.now(UTC), title=title,
        variants=variants or [NormalisedVariant(external_id=f"{external}-v1", price=Decimal(price), currency=currency,
                                                sku=sku, stock=stock, options={"size": "M"})])
    written = await catalog_service.apply_products(session, source_id=source.id, products=[product])
    ((product_id, _),) = written.values()
    (found,) = await matching.products_by_ids(session, [product_id])
    return found


async def make_knowledge(session: AsyncSession, *, topic: str = "shipping", intents: tuple[str, ...] = ("shipping",),
                         body: str = "We ship within 2 business days; delivery in Germany costs 4.90 EUR, "
                                     "free from 50 EUR.") -> KnowledgeEntry:
    entry = KnowledgeEntry(topic=topic, title=topic.title(), body=body, intents=list(intents), version=1)
    session.add(entry)
    await session.flush()
    return entry


async def classified_message(session: AsyncSession, *, text: str, intent: str = "pricing",
                             confidence: float = 0.95, language: str = "en", owner: Any = None,
                             channel: Any = None, sender: str | None = None, first_name: str = "Ada",
                             subject: str | None = None, priority: str = "normal") -> Message:
    """A customer's mail stored by the inbox, with the classification the classifier would file."""
    channel = channel or await make_channel(session, owner=owner)
    sender = sender or f"buyer-{uuid.uuid4().hex[:8]}@customer.example"
    await make_contact(session, owner=owner, email=sender, first_name=first_name)
    subject = subject or f"Question {uuid.uuid4().hex[:6]}"
    message = await receive(session, channel, inbound(sender, text=text, subject=subject))
    return await classify(session, message, intent=intent, confidence=confidence, language=language,
                          priority=priority)


async def classify(session: AsyncSession, message: Message, *, intent: str = "pricing", confidence: float = 0.95,
                   language: str = "en", priority: str = "normal") -> Message:
    """File the classification the classifier would for a stored customer message (any channel)."""
    row = Classification(text=message.text, intent=intent, confidence=confidence, priority=priority,
                         language=language, model_version=1, head_probability=confidence, margin=0.5, oos_score=0.1)
    session.add(row)
    await session.flush()
    message.classification_id, message.processed_at = row.id, datetime.now(UTC)
    await session.flush()
    return message


async def follow_up_jobs(db, message_id) -> int:
    """How many `reply.outbound_failed` jobs the message's failures queued."""
    return await db.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.task_name == "reply.outbound_failed",
        OutboxMessage.kwargs["message_id"].astext == str(message_id)))


async def escalations_of(db, suggestion_id) -> list[Escalation]:
    return list(await db.scalars(select(Escalation).where(Escalation.suggestion_id == suggestion_id)
                                 .execution_options(populate_existing=True)))


async def audit_of(db, suggestion_id) -> list[SuggestionAudit]:
    return list(await db.scalars(select(SuggestionAudit).where(SuggestionAudit.suggestion_id == suggestion_id)
                                 .order_by(SuggestionAudit.occurred_at, SuggestionAudit.id)))
