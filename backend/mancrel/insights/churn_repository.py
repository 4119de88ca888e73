"""Every query of churn detection and churn alerts. Visibility is the contact's (core/permissions)."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.contact.models import Contact
from mancrel.core.pagination import after
from mancrel.core.permissions import Actor, visible_filter
from mancrel.insights.lead_score_models import ChurnAlert

# Customers: live contacts with at least one won deal, each with their purchase dates.
_PURCHASES = text("""
SELECT d.contact_id, array_agg(d.closed_at ORDER BY d.closed_at) AS purchases
FROM deals d JOIN contacts c ON c.id = d.contact_id AND c.deleted_at IS NULL
WHERE d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL AND d.closed_at <= :now
GROUP BY d.contact_id
""")

_CUSTOMERS = """
    SELECT DISTINCT d.contact_id FROM deals d JOIN contacts c ON c.id = d.contact_id AND c.deleted_at IS NULL
    WHERE d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at <= :now
"""

# The conversations keep their last inbound time: no need to read every message of every customer.
_LAST_INBOUND = text(f"""
SELECT v.contact_id, max(v.last_inbound_at) AS last_inbound
FROM conversations v
WHERE NOT v.is_junk AND v.last_inbound_at <= :now AND v.contact_id IN ({_CUSTOMERS})
GROUP BY v.contact_id
""")  # noqa: S608  (a constant fragment, no input)

_RECENT_MESSAGES = text(f"""
SELECT v.contact_id, m.id, m.occurred_at, coalesce(cl.corrected_intent, cl.intent) AS intent, cl.sentiment,
       left(coalesce(nullif(m.own_words, ''), m.text), 500) AS text
FROM messages m JOIN conversations v ON v.id = m.conversation_id
LEFT JOIN ai_classifications cl ON cl.id = m.classification_id
WHERE m.direction = 'inbound' AND NOT m.is_junk AND m.occurred_at <= :now
  AND m.occurred_at > CAST(:now AS timestamptz) - make_interval(days => :days)
  AND v.last_message_at > CAST(:now AS timestamptz) - make_interval(days => :days)
  AND v.contact_id IN ({_CUSTOMERS})
ORDER BY v.contact_id, m.occurred_at DESC, m.id DESC
""")  # noqa: S608

# Conversations still open with a complaint, or given to a person by the reply step: escalated, or
# its reply sent and then refused or bounced (send_failed, escalated the same way).
_TO_A_PERSON = "('escalated', 'send_failed')"
_OPEN_ISSUES = text(f"""
SELECT v.contact_id, v.id AS conversation_id, v.subject, v.intent, v.last_inbound_at,
       EXISTS (SELECT 1 FROM reply_suggestions s
               WHERE s.conversation_id = v.id AND s.status IN {_TO_A_PERSON}) AS escalated
FROM conversations v
WHERE v.status <> 'closed' AND NOT v.is_junk AND v.contact_id IN ({_CUSTOMERS})
  AND (v.intent IN ('complaint', 'returns_refund')
       OR EXISTS (SELECT 1 FROM reply_suggestions s WHERE s.conversation_id = v.id AND s.status IN {_TO_A_PERSON}))
""")  # noqa: S608

class ChurnRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def purchases(self, now: datetime) -> dict[uuid.UUID, list[datetime]]:
        return {row.contact_id: list(row.purchases) for row in await self.session.execute(_PURCHASES, {"now": now})}

    async def last_inbound(self, now: datetime) -> dict[uuid.UUID, datetime]:
        return {row.contact_id: row.last_inbound
                for row in await self.session.execute(_LAST_INBOUND, {"now": now})}

    async def recent_messages(self, now: datetime, days: int) -> dict[uuid.UUID, list[Any]]:
        found: dict[uuid.UUID, list[Any]] = {}
        for row in await self.session.execute(_RECENT_MESSAGES, {"now": now, "days": days}):
            found.setdefault(row.contact_id, []).append(row)
        return found

    async def open_issues(self, now: datetime) -> dict[uuid.UUID, list[Any]]:
        found: dict[uuid.UUID, list[Any]] = {}
        for row in await self.session.execute(_OPEN_ISSUES, {"now": now}):
            found.setdefault(row.contact_id, []).append(row)
        return found

    async def contacts(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Contact]:
        if not ids:
            return {}
        return {c.id: c for c in await self.session.scalars(select(Contact).where(Contact.id.in_(list(ids))))}

    async def raise_once(self, row: dict[str, Any]) -> uuid.UUID | None:
        """Insert the alert unless its episode was raised before; its id when new."""
        return await self.session.scalar(insert(ChurnAlert).values(**row).on_conflict_do_nothing(
            constraint="uq_churn_alerts_episode").returning(ChurnAlert.id))

    async def set_task(self, alert_id: uuid.UUID, task_id: uuid.UUID) -> None:
        await self.session.execute(update(ChurnAlert).where(ChurnAlert.id == alert_id).values(task_id=task_id))

    async def open_alerts(self) -> list[ChurnAlert]:
        return list(await self.session.scalars(select(ChurnAlert).where(ChurnAlert.resolved_at.is_(None))))

    async def resolve(self, ids: Sequence[uuid.UUID], now: datetime) -> None:
        if ids:
            await self.session.execute(update(ChurnAlert).where(ChurnAlert.id.in_(list(ids))).values(resolved_at=now))

    async def visible_open(self, actor: Actor, *, limit: int, after_key: tuple[float, uuid.UUID] | None = None
                           ) -> list[tuple[ChurnAlert, Contact]]:
        stmt = (select(ChurnAlert, Contact).join(Contact, Contact.id == ChurnAlert.contact_id)
                .where(ChurnAlert.resolved_at.is_(None), Contact.deleted_at.is_(None), visible_filter(Contact, actor))
                .order_by(ChurnAlert.severity.desc(), ChurnAlert.id.desc()).limit(limit))
        if after_key is not None:
            stmt = stmt.where(after((ChurnAlert.severity, ChurnAlert.id), after_key, descending=True))
        return [(row[0], row[1]) for row in await self.session.execute(stmt)]
