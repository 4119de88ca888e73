"""Demo companies: 50 shops, wholesalers and workshops a small seller would deal with."""

import random

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.company import service as company_service
from mancrel.company.schemas import CompanyCreate
from mancrel.user import service as user_service
from mancrel.user.demo import DEMO_TEAM

PREFIXES = ["Alpen", "Nord", "Hafen", "Linden", "Kiesel", "Sonnen", "Eichen", "Falken", "Birken", "Stern",
            "Fluss", "Berg", "Wald", "Rosen", "Mühlen", "Brücken", "Garten", "Tal", "Feld", "Quell",
            "Blue Harbor", "Oak & Ember", "Copper Kettle", "Little Fern", "Maple Row"]
KINDS = [("Handel", "Retail"), ("Werkstatt", "Manufacturing"), ("Großhandel", "Wholesale"),
         ("Concept Store", "Retail"), ("Hotel", "Hospitality"), ("Café", "Hospitality"), ("Design", "Services")]
SIZES = ["1-10", "11-50", "51-200", "201-500"]
CITIES = ["Berlin", "Hamburg", "München", "Köln", "Leipzig", "Wien", "Zürich", "Amsterdam", "Kopenhagen", "Lyon"]
TAGS = ["wholesale", "retail", "key-account", "trade-fair", "newsletter", "eu"]
COUNT = 50


def _slug(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "&": "", " ": "-"})
    return "-".join(part for part in text.lower().translate(table).split("-") if part)


async def seed(session: AsyncSession) -> None:
    rng = random.Random(50)  # the same believable seller on every fresh install
    team = [await user_service.get_by_email(session, email) for email, _, _ in DEMO_TEAM]
    manager = team[0]
    for n in range(COUNT):
        prefix = PREFIXES[n % len(PREFIXES)]
        kind, industry = KINDS[(n * 3 + n // len(PREFIXES)) % len(KINDS)]
        name = f"{prefix} {kind}"
        city = rng.choice(CITIES)
        data = CompanyCreate(
            name=name, domain=f"{_slug(name)}.example", industry=industry, size=rng.choice(SIZES),
            address=f"{rng.choice(['Hauptstraße', 'Marktplatz', 'Ringweg', 'Hafenkai'])} {rng.randint(1, 120)}, {city}",
            tags=rng.sample(TAGS, rng.randint(0, 2)),
            owner_id=rng.choice(team[1:]).id if n % 7 else None,  # every 7th unassigned
        )
        await company_service.create(session, data=data, actor=manager)
