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
from mancrel.reply.task_links import conversations_of_tasks

TOP = 5
OVERDUE_LIMIT = 20

# Overdue open escalations are few and indexed by due time (reply_escalations' partial index);
# reading their task ids once is cheaper than probing the table for every task.
_OVERDUE = text("""
WITH escalated AS (
    SELECT task_id FROM reply_escalations WHERE resolved_at IS NULL AND due_at < :now AND task_id IS NOT NULL
)
SELECT a.id, a.subject, a.due_at, a.contact_id, a.id IN (SELECT task_id FROM escalated) AS escalation
FROM activities a
WHERE a.assignee_id = :user_id AND a.type = 'task' AND a.done_at IS NULL AND a.deleted_at IS NULL
  AND a.due_at < :now
ORDER BY a.due_at LIMIT :limit
""")


async def overdue_tasks(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> list[TaskBrief]:
    rows = list(await session.execute(_OVERDUE, {"user_id": user_id, "now": now, "limit": OVERDUE_LIMIT}))
    # An escalation's (or failed reply's) task opens the conversation the customer waits in.
    links = await conversations_of_tasks(session, [r.id for r in rows])
    return [TaskBrief(id=r.id, subject=r.subject, due_at=r.due_at, contact_id=r.contact_id, escalation=r.escalation,
                      conversation_id=links.get(r.id)) for r in rows]


async def today(session: AsyncSession, *, actor: Actor) -> TodayRead:
    tasks = await overdue_tasks(session, actor.id, utcnow())
    return TodayRead(
        leads=(await leads.hottest(session, actor=actor, limit=TOP)).items,
        churn=(await churn.visible_alerts(session, actor=actor, limit=TOP)).items,
        opportunities=(await opportunities.visible(session, actor=actor, limit=TOP)).items,
        overdue_escalations=[t for t in tasks if t.escalation],
        overdue_tasks=[t for t in tasks if not t.escalation],
    )
