"""Today: the home screen's one request. The caller's hottest leads, churn risks and open
opportunities (visibility as in their own lists), and the caller's own overdue tasks, with the
escalations (a customer waiting on a person, reply/escalation.py) first and apart."""

import uuid
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import utcnow
from mancrel.core.permissions import Actor
from mancrel.insights import churn, leads, opportunities
from mancrel.insights.lead_score_schemas import TaskBrief, TodayRead

TOP = 5
OVERDUE_LIMIT = 20

_OVERDUE = text("""
SELECT a.id, a.subject, a.due_at, a.contact_id,
       EXISTS (SELECT 1 FROM reply_escalations e WHERE e.task_id = a.id) AS escalation
FROM activities a
WHERE a.assignee_id = :user_id AND a.type = 'task' AND a.done_at IS NULL AND a.deleted_at IS NULL
  AND a.due_at < :now
ORDER BY a.due_at LIMIT :limit
""")


async def overdue_tasks(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> list[TaskBrief]:
    rows = await session.execute(_OVERDUE, {"user_id": user_id, "now": now, "limit": OVERDUE_LIMIT})
    return [TaskBrief(id=r.id, subject=r.subject, due_at=r.due_at, contact_id=r.contact_id, escalation=r.escalation)
            for r in rows]


async def today(session: AsyncSession, *, actor: Actor) -> TodayRead:
    tasks = await overdue_tasks(session, actor.id, utcnow())
    return TodayRead(
        leads=(await leads.hottest(session, actor=actor, limit=TOP)).items,
        churn=(await churn.visible_alerts(session, actor=actor, limit=TOP)).items,
        opportunities=(await opportunities.visible(session, actor=actor, limit=TOP)).items,
        overdue_escalations=[t for t in tasks if t.escalation],
        overdue_tasks=[t for t in tasks if not t.escalation],
    )
