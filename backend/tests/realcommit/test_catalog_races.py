"""A webhook and a poll applying the same product at once (issue 24, reading point 6).

Both routes end in `catalog.service.apply_products`, each in its own transaction. The
product is new, so there is no row to lock yet: the first writer's uncommitted insert is
what the second waits on. Whichever order they commit in, the newer version stays."""

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select

from mancrel.catalog import service
from mancrel.catalog.models import Product
from mancrel.catalog.normalise import NormalisedProduct, NormalisedVariant
from mancrel.core.db import get_sessionmaker
from tests.catalog.factories import make_source
from tests.realcommit.helpers import lock_waiters


def _version(title: str, day: int, price: str) -> NormalisedProduct:
    return NormalisedProduct(external_id="race-1", title=title, status="active",
                             source_updated_at=datetime(2026, 12, day, tzinfo=UTC),
                             variants=[NormalisedVariant(external_id="race-1-v", sku="RACE-1", price=Decimal(price),
                                                         currency="EUR", stock=3)])


@pytest.mark.parametrize("first_to_commit", ["newer", "older"])
async def test_a_webhook_and_a_poll_writing_one_new_product_keep_the_newer_version(
        committed_db, engine, first_to_commit):
    source = await make_source(committed_db)
    await committed_db.commit()
    source_id = source.id
    newer, older = _version("Tent (2 person)", 5, "199.00"), _version("Tent", 1, "179.00")
    first, second = (newer, older) if first_to_commit == "newer" else (older, newer)
    sessions = get_sessionmaker()
    try:
        async with sessions() as webhook, sessions() as poll:
            await service.apply_products(webhook, source_id=source_id, products=[first])  # not committed yet
            waiting = asyncio.ensure_future(service.apply_products(poll, source_id=source_id, products=[second]))
            deadline = asyncio.get_running_loop().time() + 10
            while await lock_waiters(engine) < 1 and not waiting.done():
                assert asyncio.get_running_loop().time() < deadline, "the second writer never met the first"
                await asyncio.sleep(0.02)
            await webhook.commit()
            await waiting
            await poll.commit()

        titles = list(await committed_db.scalars(select(Product.title).where(Product.source_id == source_id)))
        assert titles == ["Tent (2 person)"]
        assert await committed_db.scalar(select(func.count()).select_from(Product)
                                         .where(Product.source_id == source_id)) == 1
    finally:
        await committed_db.rollback()
        await committed_db.execute(delete(Product).where(Product.source_id == source_id))
        await committed_db.commit()
