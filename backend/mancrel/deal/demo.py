"""Demo deals: 60 deals across the Sales stages for the demo team, on the demo contacts.

Runs after the user and contact/company seeders; written through the deal service, so the
board, stage history and audit log look as if the team had worked them.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.contact import service as contact_service
from mancrel.contact.models import Contact
from mancrel.core.db import utcnow
from mancrel.core.listing import Sort, sort_field
from mancrel.core.record_filters import RecordFilters
from mancrel.deal import service as deal_service
from mancrel.deal.schemas import DealCreate
from mancrel.pipeline import service as pipeline_service
from mancrel.user import service as user_service
from mancrel.user.demo import DEMO_TEAM

# How many demo deals sit in each stage: a funnel, narrowing towards the close.
STAGE_COUNTS = {"New": 14, "Qualified": 12, "Proposal": 10, "Negotiation": 8, "Won": 10, "Lost": 6}
PRODUCTS = ["espresso machines", "burr grinders", "milk frothers", "cold brew kits", "roaster upgrade",
            "barista training", "service contract", "water filters", "cup warmers", "knock boxes"]
LOST_REASONS = ["Chose a cheaper supplier", "Budget frozen until Q2", "Went quiet after the demo",
                "Needed delivery before Christmas"]


async def _demo_people(session: AsyncSession) -> tuple[Any, list[Any]]:
    users = [await user_service.get_by_email(session, email) for email, _, _ in DEMO_TEAM]
    manager = next(u for u in users if u is not None and u.role == "manager")
    return manager, [u for u in users if u is not None and u.role == "rep"]


async def _contacts(session: AsyncSession, manager: Any) -> list[Contact]:
    sort = Sort(field=sort_field(Contact.created_at, datetime), descending=False)
    rows = await contact_service.list_page(session, actor=manager, filters=RecordFilters(), sort=sort,
                                           limit=200, cursor=None)
    return list(rows)


async def seed(session: AsyncSession) -> None:
    rng = random.Random(2026)
    manager, reps = await _demo_people(session)
    contacts = await _contacts(session, manager)
    pipeline = await pipeline_service.get_default(session)
    assert pipeline is not None
    stages = {s.name: s for s in pipeline.stages}
    n = 0
    for stage_name, count in STAGE_COUNTS.items():
        for _ in range(count):
            n += 1
            contact = contacts[(n * 7) % len(contacts)] if contacts else None
            owner = contact.owner_id if contact and contact.owner_id else rng.choice(reps).id
            data = DealCreate(
                title=f"{rng.randint(2, 40)} {rng.choice(PRODUCTS)}", contact_id=getattr(contact, "id", None),
                company_id=getattr(contact, "company_id", None), pipeline_id=pipeline.id,
                stage_id=stages["New"].id, amount=Decimal(rng.randrange(400, 48_000, 50)),
                currency="EUR", owner_id=owner,
                expected_close_date=(utcnow() + timedelta(days=rng.randint(-20, 75))).date())
            deal = await deal_service.create(session, data=data, actor=manager)
            await _advance(session, deal, stage_name, stages, manager, rng)


async def _advance(session: AsyncSession, deal: Any, stage_name: str, stages: dict, actor: Any,
                   rng: random.Random) -> None:
    """Walk the deal to its stage the way a rep would, so its timeline has the steps."""
    if stage_name == "Won":
        await deal_service.mark_won(session, deal=deal, actor=actor)
    elif stage_name == "Lost":
        await deal_service.mark_lost(session, deal=deal, reason=rng.choice(LOST_REASONS), actor=actor)
    else:
        for name in ("Qualified", "Proposal", "Negotiation"):
            if list(stages).index(name) > list(stages).index(stage_name):
                break
            await deal_service.move(session, deal=deal, stage_id=stages[name].id, position=None, actor=actor)
