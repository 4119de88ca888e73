"""Insights test data: CRM history written as rows with the times a test chooses (deals won months
ago, messages last week), since the services stamp everything "now"."""

import itertools
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai.models import Classification
from mancrel.contact.models import Contact
from mancrel.core.db import utcnow
from mancrel.deal.models import Deal, DealStageChange, DealStatus
from mancrel.inbox.models import Conversation, Message
from tests.deal.factories import sales_pipeline
from tests.inbox.factories import make_channel

_n = itertools.count(1)


def days_ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)


async def person(session: AsyncSession, *, owner: Any = None, name: str = "Ada", **fields: Any) -> Contact:
    created_at = fields.pop("created_at", None) or days_ago(800)
    contact = Contact(first_name=name, last_name=f"Buyer{next(_n)}", owner_id=getattr(owner, "id", None),
                      emails=[f"buyer{uuid.uuid4().hex[:10]}@customer.example"], created_at=created_at, **fields)
    session.add(contact)
    await session.flush()
    return contact


async def deal(session: AsyncSession, contact: Contact, *, created: datetime, stage: str = "New",
               closed: datetime | None = None, status: DealStatus = DealStatus.open, amount: str = "500",
               moves: list[tuple[str, datetime]] = ()) -> Deal:
    """A deal opened at `created` in `stage`, moved through `moves`, won or lost at `closed`."""
    pipeline = await sales_pipeline(session)
    stages = {s.name: s for s in pipeline.stages}
    final = {DealStatus.won: "Won", DealStatus.lost: "Lost"}.get(status, (moves[-1][0] if moves else stage))
    row = Deal(id=uuid.uuid4(), title=f"Deal {next(_n)}", contact_id=contact.id, owner_id=contact.owner_id,
               pipeline_id=pipeline.id, stage_id=stages[final].id, rank=next(_n), amount=Decimal(amount),
               status=status, closed_at=closed, created_at=created, updated_at=closed or created,
               stage_changed_at=closed or created)
    session.add(row)
    await session.flush()
    history = [(None, stage, created), *[(None, name, at) for name, at in moves]]
    if closed is not None:
        history.append((None, final, closed))
    for _, name, at in history:
        session.add(DealStageChange(deal_id=row.id, to_stage_id=stages[name].id, changed_at=at,
                                    to_status=DealStatus.won if name == "Won" else
                                    DealStatus.lost if name == "Lost" else DealStatus.open))
    await session.flush()
    return row


async def purchases(session: AsyncSession, contact: Contact, ages_in_days: list[float]) -> None:
    for age in ages_in_days:
        await deal(session, contact, created=days_ago(age + 7), closed=days_ago(age), status=DealStatus.won)


async def message(session: AsyncSession, contact: Contact, *, at: datetime, text: str = "Hello",
                  intent: str | None = None, sentiment: str | None = "neutral", subject: str = "Question",
                  conversation: Conversation | None = None, status: str = "open",
                  replied_after: timedelta | None = None) -> Message:
    """An inbound message (classified when `intent` is given) in a new or the given conversation."""
    if conversation is None:
        channel = await make_channel(session)
        conversation = Conversation(channel_id=channel.id, contact_id=contact.id, counterpart=contact.emails[0],
                                    subject=subject, status=status, last_message_at=at, last_inbound_at=at,
                                    intent=intent)
        session.add(conversation)
        await session.flush()
    classification_id = None
    if intent is not None:
        row = Classification(text=text, intent=intent, confidence=0.95, priority="normal", sentiment=sentiment,
                             model_version=1, created_at=at)
        session.add(row)
        await session.flush()
        classification_id = row.id
    found = Message(conversation_id=conversation.id, channel_id=conversation.channel_id, direction="inbound",
                    sender=contact.emails[0], subject=subject, text=text, provider_message_id=uuid.uuid4().hex,
                    status="received", classification_id=classification_id, processed_at=at, occurred_at=at,
                    created_at=at)
    session.add(found)
    if replied_after is not None:
        session.add(Message(conversation_id=conversation.id, channel_id=conversation.channel_id, direction="outbound",
                            sender="shop@example.com", subject=subject, text="Thanks!",
                            provider_message_id=uuid.uuid4().hex, status="sent", occurred_at=at + replied_after,
                            created_at=at + replied_after))
    await session.flush()
    return found
