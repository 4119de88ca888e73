"""Which conversation a task is about, for tasks the reply step opened.

An escalation's task (reply_escalations.task_id) and the task a failed reply opened
(messages.follow_up_task_id) both exist for one conversation, but the activity row itself only
names the contact. The task lists show "Open conversation" from this, so the person lands on the
customer's words rather than on the contact page. Derived from the rows that exist: no column.
"""

import uuid

from sqlalchemy import select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.inbox.models import Message
from mancrel.reply.models import Escalation


async def conversations_of_tasks(session: AsyncSession, task_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Task id -> conversation id, for those of `task_ids` an escalation or a failed reply opened."""
    if not task_ids:
        return {}
    escalated = select(Escalation.task_id.label("task_id"), Escalation.conversation_id.label("conversation_id")
                       ).where(Escalation.task_id.in_(task_ids))
    failed = select(Message.follow_up_task_id.label("task_id"), Message.conversation_id.label("conversation_id")
                    ).where(Message.follow_up_task_id.in_(task_ids))
    rows = await session.execute(union_all(escalated, failed))
    return {row.task_id: row.conversation_id for row in rows}
