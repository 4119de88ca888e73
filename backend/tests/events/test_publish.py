"""Events about a change go out only once the change is committed."""

import json

import pytest
from redis.asyncio import Redis

from mancrel import events
from mancrel.core.config import get_settings
from mancrel.core.db import get_sessionmaker, transaction


async def _next_message(pubsub, within: float = 3.0) -> dict | None:
    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=within)
    return json.loads(message["data"]) if message else None


async def test_publish_after_commit_sends_on_commit_and_never_on_rollback(engine):
    listener = Redis.from_url(get_settings().broker_url, decode_responses=True)
    pubsub = listener.pubsub()
    await pubsub.subscribe(events.CHANNEL)
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    try:
        with pytest.raises(RuntimeError):
            async with get_sessionmaker()() as session, transaction(session):
                events.publish_after_commit(session, "deal.moved", {"deal_id": "rolled-back"}, audience=None)
                raise RuntimeError("the change failed")
        async with get_sessionmaker()() as session, transaction(session):
            events.publish_after_commit(session, "deal.moved", {"deal_id": "kept"}, audience=events.STAFF)

        received = await _next_message(pubsub)
        assert received["payload"] == {"deal_id": "kept"} and received["audience"] == "staff"
        assert await _next_message(pubsub, within=0.5) is None
    finally:
        await pubsub.aclose()
        await listener.aclose()


async def test_an_audience_that_is_not_an_owner_id_is_refused_at_once():
    with pytest.raises(ValueError):
        await events.publish("deal.moved", {}, audience="everyone")
