"""Every query of opportunity detection and the opportunities list. Visibility is the contact's."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.contact.models import Contact
from mancrel.core.pagination import after
from mancrel.core.permissions import Actor, visible_filter
from mancrel.insights.lead_score_models import Opportunity

# `open_deal`, not `d`: the fragment sits inside queries that name their own deals `d`.
_NO_OPEN_DEAL = """NOT EXISTS (SELECT 1 FROM deals open_deal WHERE open_deal.contact_id = {contact}
                              AND open_deal.status = 'open' AND open_deal.deleted_at IS NULL)"""

# The newest buying or pricing question per conversation of a contact without an open deal.
_ASKED = text(f"""
SELECT DISTINCT ON (v.id) v.contact_id, v.id AS conversation_id, v.subject, m.id AS message_id, m.occurred_at,
       coalesce(cl.corrected_intent, cl.intent) AS intent, quote.price, quote.currency
FROM messages m
JOIN conversations v ON v.id = m.conversation_id
JOIN contacts c ON c.id = v.contact_id AND c.deleted_at IS NULL
JOIN ai_classifications cl ON cl.id = m.classification_id
-- The lowest price the reply step quoted for the message: its facts read "12.50 EUR".
LEFT JOIN LATERAL (
    SELECT CAST(split_part(f->>'value', ' ', 1) AS numeric) AS price,
           nullif(split_part(f->>'value', ' ', 2), '') AS currency
    FROM reply_suggestions s, jsonb_array_elements(s.facts) f
    WHERE s.message_id = m.id AND f->>'field' = 'price' ORDER BY 1 LIMIT 1
) quote ON true
WHERE m.direction = 'inbound' AND NOT m.is_junk AND m.occurred_at > :since
  AND v.last_message_at > :since  -- lets the conversations' activity index pick the few recent ones
  AND coalesce(cl.corrected_intent, cl.intent) IN ('purchase_intent', 'pricing')
  AND {_NO_OPEN_DEAL.format(contact="v.contact_id")}
ORDER BY v.id, m.occurred_at DESC
""")  # noqa: S608  (constant fragments only)

# Products a contact asked about while every variant the reply step saw was out of stock, that
# are active and in stock now.
_BACK_IN_STOCK = text("""
WITH asked AS (
    SELECT s.contact_id, s.message_id, s.created_at, CAST(f->>'product_id' AS uuid) AS product_id
    FROM reply_suggestions s, jsonb_array_elements(s.facts) f
    WHERE s.contact_id IS NOT NULL AND s.created_at > :since AND f->>'field' = 'stock'
    GROUP BY s.contact_id, s.message_id, s.created_at, f->>'product_id'
    HAVING bool_and(f->>'value' IS NOT NULL AND f->>'value' <> 'null' AND CAST(f->>'value' AS integer) <= 0)
)
SELECT DISTINCT ON (a.contact_id, a.product_id) a.contact_id, a.product_id, a.message_id, a.created_at,
       p.title, cheapest.price, cheapest.currency,
       (SELECT sum(v.stock) FROM product_variants v WHERE v.product_id = p.id AND v.stock > 0) AS stock
FROM asked a
JOIN contacts c ON c.id = a.contact_id AND c.deleted_at IS NULL
JOIN products p ON p.id = a.product_id AND p.status = 'active' AND p.deleted_at IS NULL
LEFT JOIN LATERAL (
    SELECT v.price, v.currency FROM product_variants v WHERE v.product_id = p.id AND v.stock > 0
    ORDER BY v.price LIMIT 1
) cheapest ON true
WHERE EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.stock > 0)
ORDER BY a.contact_id, a.product_id, a.created_at DESC
""")

_WON_ITEMS = """EXISTS (SELECT 1 FROM deal_line_items li JOIN deals w ON w.id = li.deal_id
                       WHERE w.contact_id = {contact} AND w.status = 'won' AND w.deleted_at IS NULL
                       AND li.product_id IS NOT NULL)"""

# Customers with two purchases or more and no open deal: their purchase dates and amounts. Those
# with won line items are read per product instead (_REPEATS_BY_PRODUCT).
_REPEATS = text(f"""
SELECT d.contact_id, NULL AS product_id, NULL AS title, array_agg(d.closed_at ORDER BY d.closed_at) AS purchases,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY d.amount) AS typical_amount,
       mode() WITHIN GROUP (ORDER BY d.currency) AS currency
FROM deals d JOIN contacts c ON c.id = d.contact_id AND c.deleted_at IS NULL
WHERE d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL AND d.closed_at <= :now
  AND {_NO_OPEN_DEAL.format(contact="d.contact_id")} AND NOT {_WON_ITEMS.format(contact="d.contact_id")}
GROUP BY d.contact_id HAVING count(*) >= 2
""")  # noqa: S608

# The same per (customer, product) from won line items: the product's own rhythm for this buyer.
_REPEATS_BY_PRODUCT = text(f"""
SELECT d.contact_id, li.product_id, p.title, array_agg(DISTINCT d.closed_at ORDER BY d.closed_at) AS purchases,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY li.line_total) AS typical_amount,
       mode() WITHIN GROUP (ORDER BY li.currency) AS currency
FROM deal_line_items li
JOIN deals d ON d.id = li.deal_id
JOIN contacts c ON c.id = d.contact_id AND c.deleted_at IS NULL
JOIN products p ON p.id = li.product_id AND p.status = 'active' AND p.deleted_at IS NULL
WHERE d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL AND d.closed_at <= :now
  AND {_NO_OPEN_DEAL.format(contact="d.contact_id")}
GROUP BY d.contact_id, li.product_id, p.title HAVING count(DISTINCT d.id) >= 2
""")  # noqa: S608

_EXPIRE_ASKED = text(f"""
UPDATE opportunities SET status = 'expired'
WHERE status = 'open' AND kind = 'intent_no_deal' AND NOT {_NO_OPEN_DEAL.format(contact="opportunities.contact_id")}
""")  # noqa: S608

_RECENT_OPEN_DEALS = text("""
SELECT d.id, d.contact_id, d.title FROM deals d JOIN contacts c ON c.id = d.contact_id AND c.deleted_at IS NULL
WHERE d.status = 'open' AND d.deleted_at IS NULL
ORDER BY d.stage_changed_at DESC LIMIT :limit
""")


class OpportunityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def asked_without_deal(self, since: datetime) -> list[Any]:
        return list(await self.session.execute(_ASKED, {"since": since}))

    async def back_in_stock(self, since: datetime) -> list[Any]:
        return list(await self.session.execute(_BACK_IN_STOCK, {"since": since}))

    async def repeat_buyers(self, now: datetime) -> list[Any]:
        return [*await self.session.execute(_REPEATS, {"now": now}),
                *await self.session.execute(_REPEATS_BY_PRODUCT, {"now": now})]

    async def recent_open_deals(self, limit: int) -> list[Any]:
        """Open deals with a contact, most recently moved first: where an upsell is worth a look."""
        return list(await self.session.execute(_RECENT_OPEN_DEALS, {"limit": limit}))

    async def add_once(self, row: dict[str, Any]) -> bool:
        """Insert unless this (contact, kind, key) was ever raised, dismissed ones included."""
        return await self.session.scalar(insert(Opportunity).values(**row).on_conflict_do_nothing(
            constraint="uq_opportunities_key").returning(Opportunity.id)) is not None

    async def expire_asked_with_deal(self) -> None:
        """A buying question answered by a deal made some other way is no longer an opportunity."""
        await self.session.execute(_EXPIRE_ASKED)

    async def get_visible(self, opportunity_id: uuid.UUID, actor: Actor) -> tuple[Opportunity, Contact] | None:
        row = (await self.session.execute(
            select(Opportunity, Contact).join(Contact, Contact.id == Opportunity.contact_id)
            .where(Opportunity.id == opportunity_id, Contact.deleted_at.is_(None), visible_filter(Contact, actor))
            .with_for_update(of=Opportunity))).first()
        return (row[0], row[1]) if row else None

    async def visible_open(self, actor: Actor, *, limit: int, after_key: tuple[datetime, uuid.UUID] | None = None
                           ) -> list[tuple[Opportunity, Contact]]:
        stmt = (select(Opportunity, Contact).join(Contact, Contact.id == Opportunity.contact_id)
                .where(Opportunity.status == "open", Contact.deleted_at.is_(None), visible_filter(Contact, actor))
                .order_by(Opportunity.created_at.desc(), Opportunity.id.desc()).limit(limit))
        if after_key is not None:
            stmt = stmt.where(after((Opportunity.created_at, Opportunity.id), after_key, descending=True))
        return [(row[0], row[1]) for row in await self.session.execute(stmt)]
