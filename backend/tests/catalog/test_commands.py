"""`mancrel catalog ...` as an admin runs it, against the test servers."""

import json
import subprocess

from sqlalchemy import select

from mancrel.catalog.models import Product
from tests.catalog.factories import make_source
from tests.catalog.test_poller import TOKEN, _catalogue, shopify_shop
from tests.conftest import mancrel_command, worker_env


def _mancrel(servers, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(mancrel_command(*args), env=worker_env(servers), capture_output=True, text=True,
                          timeout=120, check=False)


async def test_poll_and_reconcile_commands_write_the_catalogue(committed_db, servers) -> None:
    with shopify_shop(_catalogue(3)) as shop:
        source = await make_source(committed_db, kind="shopify", poll_credentials=TOKEN,
                                   poll_url=f"{shop.base_url}/admin/api/2025-10/products.json")
        await committed_db.commit()

        polled = _mancrel(servers, "catalog", "poll", str(source.id))
        health = _mancrel(servers, "catalog", "health", str(source.id))

    assert polled.returncode == 0, polled.stderr[-2000:]
    assert json.loads(polled.stdout.strip().splitlines()[-1])["written"] == 3
    assert json.loads(health.stdout)["live_products"] == 3
    titles = set(await committed_db.scalars(select(Product.title).where(Product.source_id == source.id)))
    await committed_db.commit()
    assert titles == {"Product 000", "Product 001", "Product 002"}
