"""Demo contacts: 300 people at the demo companies (and some on their own), a few of them
entered twice so the duplicates view has something to show."""

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.company.models import Company
from mancrel.contact import service as contact_service
from mancrel.contact.models import LifecycleStage
from mancrel.contact.schemas import ContactCreate
from mancrel.core.db import utcnow
from mancrel.user import service as user_service
from mancrel.user.demo import DEMO_TEAM

FIRST = ["Anna", "Ben", "Clara", "David", "Elif", "Finn", "Greta", "Hannah", "Ivan", "Jonas", "Katarina", "Lena",
         "Mehmet", "Nora", "Oskar", "Paula", "Quentin", "Rosa", "Sven", "Tara", "Umut", "Vera", "Wim", "Yara",
         "Zoe", "Lukas", "Mia", "Noah", "Emma", "Leon"]
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch",
        "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange",
        "Jansen", "de Vries", "Novak", "Rossi", "Dubois", "Nielsen", "Kowalski", "Yilmaz", "Berg", "Lindqvist"]
TITLES = ["Owner", "Buyer", "Purchasing Manager", "Store Manager", "Head of Operations", "Managing Director", None]
SOURCES = ["trade fair", "website", "referral", "instagram", "cold call", "import"]
STAGES = [LifecycleStage.lead] * 4 + [LifecycleStage.prospect] * 3 + [LifecycleStage.customer] * 3 + [
    LifecycleStage.churned]
COUNT = 300
DUPLICATES = 3


def _ascii(text: str) -> str:
    return text.lower().translate(str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", " ": ""}))


async def seed(session: AsyncSession) -> None:
    rng = random.Random(300)
    team = [await user_service.get_by_email(session, email) for email, _, _ in DEMO_TEAM]
    manager, reps = team[0], team[1:]
    companies = list(await session.scalars(select(Company).where(Company.deleted_at.is_(None))
                                           .order_by(Company.created_at, Company.id)))
    made = []
    for n in range(COUNT):
        # Every name once: a name shared by ten demo people at one company would read as duplicates.
        first, last = FIRST[n % len(FIRST)], LAST[(n * 7 + n // len(FIRST)) % len(LAST)]
        company = companies[n % len(companies)] if companies and n % 6 else None
        domain = company.domain if company else rng.choice(["mail.example", "post.example"])
        owner = company.owner_id if company else (rng.choice(reps).id if n % 5 else None)
        data = ContactCreate(
            first_name=first, last_name=last, title=rng.choice(TITLES),
            emails=[f"{_ascii(first)}.{_ascii(last)}{n}@{domain}"],
            phones=[f"+49151{20000000 + n * 7919 % 80000000:08d}"] if n % 3 else [],
            company_id=company.id if company else None, lifecycle_stage=rng.choice(STAGES),
            tags=rng.sample(["vip", "newsletter", "sample-sent", "reorder", "fair-2026"], rng.randint(0, 2)),
            source=rng.choice(SOURCES), owner_id=owner,
            last_contacted_at=utcnow() - timedelta(days=rng.randint(0, 120)) if n % 4 else None,
        )
        made.append(await contact_service.create(session, data=data, actor=manager))
    for original in made[10:10 + DUPLICATES]:
        # The same person typed in again by a colleague: a likely duplicate, not blocked.
        twin = ContactCreate(first_name=original.first_name, last_name=original.last_name,
                             emails=[original.emails[0]], owner_id=original.owner_id, source="import")
        await contact_service.create(session, data=twin, actor=manager, allow_duplicate=True)
