"""Demo activities: a history of calls, emails, meetings and notes on the demo deals, and for
each demo rep some overdue, today's and upcoming tasks (what /activities/mine shows)."""

import random
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity import service as activity_service
from mancrel.activity.models import ActivityType
from mancrel.activity.schemas import ActivityCreate
from mancrel.core.db import utcnow
from mancrel.deal import service as deal_service
from mancrel.user import service as user_service
from mancrel.user.demo import DEMO_TEAM

HISTORY = [
    (ActivityType.call, "Intro call", "Runs three cafes; wants one supplier for machines and beans."),
    (ActivityType.email, "Sent price list", "Attached the 2026 catalogue and volume discounts."),
    (ActivityType.meeting, "Showroom visit", "Tried the grinders; liked the quiet one."),
    (ActivityType.note, "Decision maker", "The owner signs; the head barista decides."),
    (ActivityType.call, "Follow-up on quote", "Asked for delivery dates and installation."),
]
TASKS = ["Send revised quote", "Call back about delivery", "Book installation slot", "Chase signed order",
         "Prepare demo machine", "Confirm training date"]


async def seed(session: AsyncSession) -> None:
    rng = random.Random(27)
    team = [await user_service.get_by_email(session, email) for email, _, _ in DEMO_TEAM]
    manager = next(u for u in team if u is not None and u.role == "manager")
    reps = [u for u in team if u is not None and u.role == "rep"]
    deals = await deal_service.oldest(session, limit=500)
    now = utcnow()
    for deal in deals:
        for kind, subject, body in rng.sample(HISTORY, k=rng.randint(1, 3)):
            await activity_service.create(session, actor=manager, data=ActivityCreate(
                type=kind, subject=subject, body=body, deal_id=deal.id, contact_id=deal.contact_id,
                company_id=deal.company_id, owner_id=deal.owner_id,
                occurred_at=now - timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))))
    for rep in reps:
        mine = [d for d in deals if d.owner_id == rep.id] or deals
        plan = ([now - timedelta(days=d, hours=2) for d in (1, 3, 6)]
                + [now + timedelta(minutes=m) for m in (5, 20, 40)]
                + [now + timedelta(days=d, hours=3) for d in (1, 2, 4, 7, 12)])
        for due in plan:
            deal: Any = rng.choice(mine)
            await activity_service.create(session, actor=manager, data=ActivityCreate(
                type=ActivityType.task, subject=rng.choice(TASKS), due_at=due, assignee_id=rep.id, owner_id=rep.id,
                deal_id=deal.id, contact_id=deal.contact_id))
