"""Demo team: one manager and three reps, sharing a password printed at first start."""

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.permissions import Role
from mancrel.user import service as user_service
from mancrel.user.schemas import UserCreate

DEMO_PASSWORD = "mancrel-demo-2026"
DEMO_TEAM = [
    ("maria.manager@example.com", "Maria Lopez", Role.manager),
    ("rita.rep@example.com", "Rita Chen", Role.rep),
    ("sam.rep@example.com", "Sam Okafor", Role.rep),
    ("tom.rep@example.com", "Tom Becker", Role.rep),
]


async def seed(session: AsyncSession) -> None:
    for email, name, role in DEMO_TEAM:
        if await user_service.get_by_email(session, email) is None:
            await user_service.create(session, data=UserCreate(email=email, password=DEMO_PASSWORD,
                                                               full_name=name, role=role))
