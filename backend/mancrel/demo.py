"""Demo data for `make run`: a believable small seller, loaded once on first start.

Each domain contributes a seeder; they run in this order in one transaction.
"""

import importlib
import logging

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.state import get_state, set_state

logger = logging.getLogger("mancrel.demo")

# Modules with `async def seed(session) -> None`, in dependency order.
SEEDERS = [
    "mancrel.user.demo",
    "mancrel.company.demo",
    "mancrel.contact.demo",
    "mancrel.catalog.demo",
    "mancrel.deal.demo",  # after the contact/company seeders: deals are on their contacts
    "mancrel.activity.demo",
    "mancrel.reply.demo",  # knowledge entries, before the inbox's mail is classified and answered
    "mancrel.inbox.demo",  # after the contacts: their mail finds them
]


async def load_demo_data(session: AsyncSession) -> bool:
    """Load the demo once per database. Returns whether it was loaded now."""
    if await get_state(session, "demo_loaded"):
        return False
    for module_name in SEEDERS:
        await importlib.import_module(module_name).seed(session)
    await set_state(session, "demo_loaded", True)
    logger.info("demo data loaded")
    return True
