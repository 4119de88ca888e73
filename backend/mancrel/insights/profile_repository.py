"""Every query of the interest profile: its signals, its rows, and popularity deltas.

The signals are read straight from the deal, inbox and activity tables: insights is a read
model over the whole CRM (as analytics is), and these reads are the contact's own history,
visibility aside (the profile serves whoever may see the contact).
"""

import uuid
from datetime import datetime

import numpy as np
from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity.models import Activity
from mancrel.deal.line_items_models import DealLineItem
from mancrel.deal.models import Deal, DealStatus
from mancrel.inbox.models import Conversation, Direction, Message
from mancrel.insights.profile_build import Interest
from mancrel.insights.profile_models import ContactProductInterest, ContactProfile, ProfileRequest

RECENT_MESSAGES = 10
RECENT_ACTIVITIES = 5
# Popularity: a buyer counts four times an interested contact (asked, quoted).
BUYER_WEIGHT, INTERESTED_WEIGHT = 1.0, 0.25


class ProfileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self, contact_id: uuid.UUID) -> None:
        """One refresh of a contact at a time (two workers, or a redelivered job)."""
        await self.session.execute(select(func.pg_advisory_xact_lock(
            func.hashtextextended(f"insights.profile:{contact_id}", 0))))

    async def take_requests(self, contact_id: uuid.UUID) -> int:
        result = await self.session.execute(delete(ProfileRequest).where(ProfileRequest.contact_id == contact_id))
        return result.rowcount

    async def line_item_signals(self, contact_id: uuid.UUID) -> list[tuple[uuid.UUID, DealStatus, datetime, int]]:
        """(product, deal status, when, quantity) of the contact's live deals' catalogue items."""
        stmt = (select(DealLineItem.product_id, Deal.status,
                       func.coalesce(Deal.closed_at, DealLineItem.created_at), DealLineItem.quantity)
                .join(Deal, Deal.id == DealLineItem.deal_id)
                .where(Deal.contact_id == contact_id, Deal.deleted_at.is_(None),
                       DealLineItem.product_id.is_not(None)))
        return [tuple(row) for row in await self.session.execute(stmt)]

    async def recent_texts(self, contact_id: uuid.UUID) -> list[tuple[str, datetime, str]]:
        """(text, when, kind) of the contact's latest own messages ("asked") and logged
        activities ("discussed"), newest first."""
        messages = (select(func.coalesce(func.nullif(Message.own_words, ""), Message.text), Message.occurred_at)
                    .join(Conversation, Conversation.id == Message.conversation_id)
                    .where(Conversation.contact_id == contact_id, Message.direction == Direction.inbound,
                           Message.is_junk.is_(False))
                    .order_by(Message.occurred_at.desc()).limit(RECENT_MESSAGES))
        activities = (select(Activity.subject + " " + Activity.body, Activity.occurred_at)
                      .where(Activity.contact_id == contact_id, Activity.deleted_at.is_(None))
                      .order_by(Activity.occurred_at.desc()).limit(RECENT_ACTIVITIES))
        rows = [(t, at, "asked") for t, at in await self.session.execute(messages)]
        rows += [(t, at, "discussed") for t, at in await self.session.execute(activities)]
        return [row for row in rows if row[0] and row[0].strip()]

    async def interests(self, contact_id: uuid.UUID) -> list[ContactProductInterest]:
        return list(await self.session.scalars(select(ContactProductInterest).where(
            ContactProductInterest.contact_id == contact_id).order_by(ContactProductInterest.weight.desc())))

    async def get_profile(self, contact_id: uuid.UUID) -> ContactProfile | None:
        return await self.session.get(ContactProfile, contact_id)

    async def save(self, contact_id: uuid.UUID, *, vector: np.ndarray | None, found: list[Interest],
                   texts: int, now: datetime) -> None:
        """Replace the contact's profile and interests; move popularity by the difference."""
        old = {i.product_id: i.bought_count > 0 for i in await self.interests(contact_id)}
        new = {i.product_id: i.bought_count > 0 for i in found}
        await self.session.execute(delete(ContactProductInterest).where(
            ContactProductInterest.contact_id == contact_id))
        if found:
            await self.session.execute(insert(ContactProductInterest), [dict(
                contact_id=contact_id, product_id=i.product_id, weight=i.weight, asked_count=i.asked_count,
                asked_at=i.asked_at, quoted_at=i.quoted_at, bought_count=i.bought_count, bought_at=i.bought_at,
                last_at=i.last_at) for i in found])
        values = dict(vector=vector, products=len(found), texts=texts, computed_at=now)
        await self.session.execute(insert(ContactProfile).values(contact_id=contact_id, **values)
                                   .on_conflict_do_update(index_elements=[ContactProfile.contact_id], set_=values))
        await self._move_popularity(old, new)

    async def _move_popularity(self, old: dict[uuid.UUID, bool], new: dict[uuid.UUID, bool]) -> None:
        deltas = []
        for product_id in sorted(old.keys() | new.keys(), key=str):  # one lock order: no deadlocks
            buyers = int(new.get(product_id, False)) - int(old.get(product_id, False))
            interested = int(product_id in new) - int(product_id in old)
            if buyers or interested:
                deltas.append((product_id, buyers, interested))
        if not deltas:
            return
        await self.session.execute(text("""
            INSERT INTO product_popularity (product_id, buyers, interested, score)
            SELECT d.product_id, d.buyers, d.interested, d.buyers * :bw + d.interested * :iw
            FROM unnest(CAST(:ids AS uuid[]), CAST(:buyers AS int[]), CAST(:interested AS int[]))
                 WITH ORDINALITY AS d(product_id, buyers, interested, n)
            JOIN products p ON p.id = d.product_id
            ORDER BY d.n
            ON CONFLICT (product_id) DO UPDATE SET
                buyers = product_popularity.buyers + excluded.buyers,
                interested = product_popularity.interested + excluded.interested,
                score = (product_popularity.buyers + excluded.buyers) * :bw
                        + (product_popularity.interested + excluded.interested) * :iw
        """), {"ids": [d[0] for d in deltas], "buyers": [d[1] for d in deltas],
               "interested": [d[2] for d in deltas], "bw": BUYER_WEIGHT, "iw": INTERESTED_WEIGHT})

