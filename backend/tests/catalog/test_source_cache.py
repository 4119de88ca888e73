"""The webhook intake's cached sources: an admin's change through this process counts at
once; a change made elsewhere (another API process) within the cache's TTL."""

import asyncio

from sqlalchemy import update

from mancrel.catalog.exceptions import SourceNotFound
from mancrel.catalog.intake import WebhookIntake
from mancrel.catalog.models import CatalogSource
from mancrel.core.permissions import Role
from tests.catalog.factories import dumps, make_source, standard_headers, standard_payload
from tests.factories import auth_headers, make_user


async def _deliver(client, source, external_id: str):
    body = dumps(standard_payload(external_id))
    return await client.post(f"/webhook/catalog/{source.id}", content=body, headers=standard_headers(body))


async def test_an_admin_disabling_a_source_stops_its_deliveries_at_once(committed_db, committed_client) -> None:
    source = await make_source(committed_db)
    admin = await make_user(committed_db, role=Role.admin)
    await committed_db.commit()
    assert (await _deliver(committed_client, source, "p-1")).status_code == 200  # now cached

    patched = await committed_client.patch(f"/api/v1/catalog/sources/{source.id}", json={"enabled": False},
                                           headers=auth_headers(admin))
    assert patched.status_code == 200

    refused = await _deliver(committed_client, source, "p-2")
    assert refused.status_code == 404
    assert refused.headers["content-type"].startswith("application/problem+json")


async def test_a_change_made_elsewhere_waits_for_the_cached_source_to_expire(committed_db, engine) -> None:
    source = await make_source(committed_db)
    await committed_db.commit()
    # Two processes' caches: one whose entry cannot expire during the test, one that expires soon.
    lasting = WebhookIntake(engine.connect, source_ttl=3600)
    short = WebhookIntake(engine.connect, source_ttl=0.2)
    assert (await lasting.source(str(source.id))).id == source.id
    assert (await short.source(str(source.id))).id == source.id

    async with engine.begin() as conn:  # as another API process's admin request would
        await conn.execute(update(CatalogSource).where(CatalogSource.id == source.id).values(enabled=False))
    assert (await lasting.source(str(source.id))).id == source.id  # still cached: within its TTL

    # The short entry's expiry is the event to wait for; the bound is generous, not a timing.
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        try:
            await short.source(str(source.id))
        except SourceNotFound:
            break
        assert asyncio.get_running_loop().time() < deadline, "a disabled source kept taking deliveries"
        await asyncio.sleep(0.05)
