"""Board changes reach live listeners (Redis pub/sub, as the SSE stream reads them)."""

import asyncio
import json

from mancrel.core.permissions import Role
from mancrel.core.redis import get_redis
from mancrel.events import CHANNEL
from tests.deal.factories import make_deal, stage_named
from tests.factories import auth_headers, make_user


async def _next_event(pubsub) -> dict:
    for _ in range(50):
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.1)
        if message is not None:
            return json.loads(message["data"])
    raise AssertionError("no event published")


async def test_moving_a_deal_is_announced_to_its_owner_after_commit(client, db):
    rep = await make_user(db, role=Role.rep)
    deal = await make_deal(db, actor=rep)
    qualified = await stage_named(db, "Qualified")
    pubsub = get_redis().pubsub()
    await pubsub.subscribe(CHANNEL)
    try:
        await asyncio.sleep(0.05)
        refused = await client.post(f"/api/v1/deals/{deal.id}/move", headers=auth_headers(rep),
                                    json={"stage_id": str(rep.id)})
        assert refused.status_code == 422  # rolled back: nothing to announce
        moved = await client.post(f"/api/v1/deals/{deal.id}/move", headers=auth_headers(rep),
                                  json={"stage_id": str(qualified.id)})
        assert moved.status_code == 200
        event = await _next_event(pubsub)
        assert event["topic"] == "deal.moved" and event["audience"] == str(rep.id)
        assert event["payload"]["deal_id"] == str(deal.id)
        assert event["payload"]["stage_id"] == str(qualified.id)
        assert event["payload"]["from_stage_id"] == str(deal.stage_id)

        await client.patch(f"/api/v1/deals/{deal.id}", headers=auth_headers(rep), json={"title": "Renamed"})
        updated = await _next_event(pubsub)
        assert updated["topic"] == "deal.updated" and updated["payload"]["version"] == moved.json()["version"] + 1
    finally:
        await pubsub.unsubscribe(CHANNEL)
        await pubsub.aclose()
