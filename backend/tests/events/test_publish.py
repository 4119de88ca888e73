"""Events about a change go out only once the change is committed."""

import json

import pytest
from redis.asyncio import Redis

from mancrel import events
from mancrel.core.config import get_settings
from mancrel.core.db import get_sessionmaker, savepoint, transaction


async def _next_message(pubsub, within: float = 3.0) -> dict | None:
    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=within)
    return json.loads(message["data"]) if message else None


@pytest.fixture
async def pubsub(engine):
    """Subscribed to the live events' channel, as the API's SSE listener is."""
    listener = Redis.from_url(get_settings().broker_url, decode_responses=True)
    subscription = listener.pubsub()
    await subscription.subscribe(events.CHANNEL)
    await subscription.get_message(timeout=1)  # the subscribe confirmation
    yield subscription
    await subscription.aclose()
    await listener.aclose()


async def test_publish_after_commit_sends_on_commit_and_never_on_rollback(pubsub):
    with pytest.raises(RuntimeError):
        async with get_sessionmaker()() as session, transaction(session):
            events.publish_after_commit(session, "deal.moved", {"deal_id": "rolled-back"}, audience=None)
            raise RuntimeError("the change failed")
    async with get_sessionmaker()() as session, transaction(session):
        events.publish_after_commit(session, "deal.moved", {"deal_id": "kept"}, audience=events.STAFF)

    received = await _next_message(pubsub)
    assert received["payload"] == {"deal_id": "kept"} and received["audience"] == "staff"
    assert await _next_message(pubsub, within=0.5) is None


async def test_an_audience_that_is_not_an_owner_id_is_refused_at_once():
    with pytest.raises(ValueError):
        await events.publish("deal.moved", {}, audience="everyone")


async def test_a_unit_of_works_events_arrive_in_order_without_those_of_a_rolled_back_savepoint(pubsub):
    async with get_sessionmaker()() as session, transaction(session):
        events.publish_after_commit(session, "message.created", {"n": 1}, audience=None)
        with pytest.raises(RuntimeError):
            async with savepoint(session):  # one delivery of a batch fails alone
                events.publish_after_commit(session, "message.created", {"n": "rolled back"}, audience=None)
                raise RuntimeError("this delivery failed")
        events.publish_after_commit(session, "conversation.updated", {"n": 2}, audience=None)
        events.publish_after_commit(session, "message.classified", {"n": 3}, audience=None)
        assert await _next_message(pubsub, within=0.3) is None  # nothing before the commit

    received = [await _next_message(pubsub) for _ in range(3)]
    assert [(m["topic"], m["payload"]["n"]) for m in received] == [
        ("message.created", 1), ("conversation.updated", 2), ("message.classified", 3)]
    assert await _next_message(pubsub, within=0.5) is None
