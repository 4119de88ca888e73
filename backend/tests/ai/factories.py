"""Fixture rows for search tests: a small outdoor-shop catalogue written straight into the index."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import indexing

CATALOGUE = {
    "socks": ("Merino Hiking Socks", "Cushioned merino wool socks for trekking; warm, breathable, blister-free."),
    "mug": ("Stoneware Coffee Mug", "A 350 ml glazed ceramic mug, dishwasher safe."),
    "tent": ("Two-Person Dome Tent", "A light three-season tent with two doors and a rain fly."),
    "lamp": ("Oak Desk Lamp", "A dimmable LED reading lamp with an oak base."),
    "bottle": ("Insulated Water Bottle", "Keeps drinks cold for 24 hours; stainless steel, 750 ml."),
    "jacket": ("Rain Shell Jacket", "A waterproof, packable jacket with a hood for wet hikes."),
    "kettle": ("Electric Gooseneck Kettle", "Variable temperature kettle for pour-over coffee."),
    "blanket": ("Wool Throw Blanket", "A soft lambswool blanket for the sofa."),
}


async def index_catalogue(session: AsyncSession) -> dict[str, uuid.UUID]:
    ids = {}
    for key, (title, description) in CATALOGUE.items():
        ids[key] = uuid.uuid4()
        await indexing.index_record(session, entity_type="product", entity_id=ids[key], owner_id=None,
                                    title=title, snippet=description, body=description)
    return ids


async def index_contact_doc(session: AsyncSession, *, name: str, details: str, owner_id: uuid.UUID | None
                            ) -> uuid.UUID:
    contact_id = uuid.uuid4()
    await indexing.index_record(session, entity_type="contact", entity_id=contact_id, owner_id=owner_id,
                                title=name, snippet=details, body=details)
    return contact_id
