"""End to end with a real worker process: a burst acknowledged while no worker runs is
applied, each delivery once, as soon as one starts."""

import asyncio
import time

from sqlalchemy import func, select

from mancrel.catalog.models import CatalogEvent, Product
from tests.catalog.factories import dumps, make_source, standard_headers, standard_payload
from tests.conftest import start_worker

BURST = 40


async def _statuses(session, source_id) -> dict[str, int]:
    rows = (await session.execute(select(CatalogEvent.status, func.count())
                                  .where(CatalogEvent.source_id == source_id).group_by(CatalogEvent.status))).all()
    await session.commit()  # end the read so the next one sees the worker's commits
    return dict(rows)


async def test_burst_without_a_worker_is_applied_once_a_worker_starts(committed_db, committed_client, servers,
                                                                      tmp_path) -> None:
    source = await make_source(committed_db)
    await committed_db.commit()
    url = f"/webhook/catalog/{source.id}"
    bodies = [dumps(standard_payload(f"burst-{i}", title=f"Burst product {i}", sku=f"B-{i}")) for i in range(BURST)]
    headers = [standard_headers(body) for body in bodies]

    responses = await asyncio.gather(*(committed_client.post(url, content=b, headers=h)
                                       for b, h in zip(bodies, headers, strict=True)))
    replay = await committed_client.post(url, content=bodies[0], headers=headers[0])  # the sender retries one

    assert [r.status_code for r in responses] == [200] * BURST and replay.json() == {"status": "duplicate"}
    assert await _statuses(committed_db, source.id) == {"pending": BURST}

    worker = start_worker(servers, tmp_path / "worker.log")
    try:
        deadline = time.monotonic() + 90
        while (await _statuses(committed_db, source.id)).get("processed", 0) < BURST:
            assert time.monotonic() < deadline, worker.output()[-4000:]
            await asyncio.sleep(0.2)
    finally:
        worker.stop()

    assert await _statuses(committed_db, source.id) == {"processed": BURST}
    titles = set(await committed_db.scalars(select(Product.title).where(Product.source_id == source.id,
                                                                        Product.deleted_at.is_(None))))
    assert titles == {f"Burst product {i}" for i in range(BURST)}
