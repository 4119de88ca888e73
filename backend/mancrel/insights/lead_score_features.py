"""The signals behind a lead score, read at a point in time.

`signals_at(t)` sees only what had happened by `t` (messages, stage changes, activities, deals
closed before it), so the same query builds training rows at past cut dates (labelled by what
happened in the 90 days after) and today's rows to score. The stage a deal was in at `t` comes
from its stage history, never from where it ended up: that would leak the outcome.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import DateTime, Uuid

HORIZON = timedelta(days=90)  # "the chance to win a deal within 90 days"
ACTIVE_DAYS = 30              # an inbound message this recent makes a contact worth scoring

_SIGNALS = text("""
WITH open_deals AS (
    SELECT d.contact_id, d.amount, d.currency, s.probability, s.name AS stage_name
    FROM deals d
    LEFT JOIN LATERAL (
        SELECT h.to_stage_id FROM deal_stage_changes h
        WHERE h.deal_id = d.id AND h.changed_at <= :t ORDER BY h.changed_at DESC, h.id DESC LIMIT 1
    ) at_t ON true
    LEFT JOIN pipeline_stages s
        ON s.id = coalesce(at_t.to_stage_id, CASE WHEN d.status = 'open' THEN d.stage_id END)
    WHERE d.deleted_at IS NULL AND d.contact_id IS NOT NULL AND d.created_at <= :t
      AND (d.closed_at IS NULL OR d.closed_at > :t)
      AND (CAST(:ids AS uuid[]) IS NULL OR d.contact_id = ANY(:ids))
),
best_deal AS (
    SELECT DISTINCT ON (contact_id) contact_id, amount, currency, coalesce(probability, 10) AS probability,
           stage_name
    FROM open_deals ORDER BY contact_id, probability DESC NULLS LAST, amount DESC
),
inbound AS (
    SELECT v.contact_id, m.occurred_at, coalesce(cl.corrected_intent, cl.intent) AS intent, cl.sentiment,
           (SELECT min(o.occurred_at) FROM messages o
            WHERE o.conversation_id = m.conversation_id AND o.direction = 'outbound'
              AND o.status <> 'failed'  -- a reply that never reached the customer answered nothing
              AND o.occurred_at > m.occurred_at AND o.occurred_at <= :t) AS replied_at
    FROM messages m
    JOIN conversations v ON v.id = m.conversation_id
    LEFT JOIN ai_classifications cl ON cl.id = m.classification_id
    WHERE m.direction = 'inbound' AND NOT m.is_junk AND v.contact_id IS NOT NULL
      AND m.occurred_at > CAST(:t AS timestamptz) - interval '90 days' AND m.occurred_at <= :t
      AND (CAST(:ids AS uuid[]) IS NULL OR v.contact_id = ANY(:ids))
),
signals AS (
    SELECT contact_id,
           count(*) FILTER (WHERE occurred_at > CAST(:t AS timestamptz) - interval '30 days') AS inbound_30d,
           count(*) AS inbound_90d,
           max(occurred_at) AS last_inbound,
           count(*) FILTER (WHERE intent = 'purchase_intent') AS asked_to_buy,
           count(*) FILTER (WHERE intent = 'pricing') AS asked_pricing,
           count(*) FILTER (WHERE intent IN ('product_question', 'availability')) AS asked_products,
           count(*) FILTER (WHERE intent IN ('complaint', 'returns_refund')) AS complaints,
           count(*) FILTER (WHERE sentiment = 'negative' OR intent = 'complaint') AS negative,
           avg(least(extract(epoch FROM coalesce(replied_at, CAST(:t AS timestamptz)) - occurred_at) / 3600.0,
                     168.0)) AS reply_hours
    FROM inbound GROUP BY contact_id
),
active AS (
    SELECT contact_id FROM best_deal
    UNION
    SELECT contact_id FROM signals
    WHERE last_inbound > CAST(:t AS timestamptz) - make_interval(days => :active_days)
)
SELECT c.id AS contact_id, c.source, co.industry, co.size, c.company_id IS NOT NULL AS has_company,
       b.probability AS stage_probability, b.stage_name, b.amount AS deal_amount,
       b.currency AS deal_currency,
       s.inbound_30d, s.inbound_90d, s.asked_to_buy, s.asked_pricing, s.asked_products, s.complaints,
       s.negative, s.reply_hours,
       extract(epoch FROM CAST(:t AS timestamptz) - s.last_inbound) / 86400.0 AS days_since_inbound,
       (SELECT count(*) FROM activities a
        WHERE a.contact_id = c.id AND a.deleted_at IS NULL AND a.occurred_at <= :t
          AND a.occurred_at > CAST(:t AS timestamptz) - interval '30 days') AS activities_30d,
       past.wins AS past_wins, past.losses AS past_losses
FROM active
JOIN contacts c ON c.id = active.contact_id AND c.deleted_at IS NULL AND c.created_at <= :t
LEFT JOIN companies co ON co.id = c.company_id
LEFT JOIN best_deal b ON b.contact_id = c.id
LEFT JOIN signals s ON s.contact_id = c.id
LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE d.status = 'won') AS wins, count(*) FILTER (WHERE d.status = 'lost') AS losses
    FROM deals d WHERE d.contact_id = c.id AND d.deleted_at IS NULL AND d.closed_at <= :t
) past ON true
""").bindparams(bindparam("t", type_=DateTime(timezone=True)), bindparam("ids", type_=ARRAY(Uuid)))

_WON_AFTER = text("""
SELECT DISTINCT contact_id FROM deals
WHERE status = 'won' AND deleted_at IS NULL AND contact_id IS NOT NULL
  AND closed_at > :t AND closed_at <= CAST(:t AS timestamptz) + interval '90 days'
""").bindparams(bindparam("t", type_=DateTime(timezone=True)))


def _clean(row: Any) -> dict[str, Any]:
    raw = dict(row._mapping)
    for key in ("deal_amount", "reply_hours", "days_since_inbound"):
        if raw.get(key) is not None:
            raw[key] = float(raw[key])
    return raw


async def signals_at(session: AsyncSession, t: datetime, contact_ids: Sequence[uuid.UUID] | None = None
                     ) -> list[dict[str, Any]]:
    """One row of raw signals per contact worth scoring at `t` (an open deal then, or an inbound
    message in the ACTIVE_DAYS before), limited to `contact_ids` when given."""
    result = await session.execute(_SIGNALS, {"t": t, "ids": list(contact_ids) if contact_ids is not None else None,
                                              "active_days": ACTIVE_DAYS})
    return [_clean(row) for row in result]


async def won_within_horizon(session: AsyncSession, t: datetime) -> set[uuid.UUID]:
    """The contacts who won a deal in the 90 days after `t`: the labels of the rows at `t`."""
    return set((await session.scalars(_WON_AFTER, {"t": t})).all())


async def history_span(session: AsyncSession) -> tuple[datetime | None, datetime | None]:
    row = (await session.execute(text(
        "SELECT min(created_at), max(coalesce(closed_at, created_at)) FROM deals WHERE deleted_at IS NULL"))).one()
    return row[0], row[1]
