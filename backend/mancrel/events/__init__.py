"""Live events: tell connected browsers that something changed.

    from mancrel import events
    await events.publish("deal.moved", {"deal_id": str(deal.id), "stage_id": ...}, audience=deal.owner_id)
    events.publish_after_commit(session, "deal.moved", {...}, audience=deal.owner_id)   # inside a unit of work

`audience` says who may receive the event, with the rule records follow
(core/permissions.py): a record's `owner_id` (the owner plus managers and admins), `None`
for an unassigned record (everyone), or `events.STAFF` (managers and admins) /
`events.ADMINS`. Payloads should carry ids and small facts; the browser refetches the
record through the API, where full visibility rules apply.

Delivery is Redis pub/sub to every API process; each `GET /api/v1/events` stream (SSE,
events/router.py) filters by its user. Best effort: an event published while nobody
listens, or while Redis is down, is gone (publish logs and returns False; it never
fails the caller). Inside a transaction use `publish_after_commit`, so no one hears of
a change that then rolls back.
"""

import json
import logging
import uuid
from types import SimpleNamespace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import after_commit, utcnow
from mancrel.core.permissions import Actor, Role, can_see
from mancrel.core.redis import get_redis

logger = logging.getLogger("mancrel.events")

CHANNEL = "mancrel:events"
STAFF = "staff"
ADMINS = "admins"
Audience = uuid.UUID | str | None


def _audience_value(audience: Audience) -> str | None:
    if audience is None or audience in (STAFF, ADMINS):
        return audience
    return str(uuid.UUID(str(audience)))  # an owner id; refuse anything else early


def encode(topic: str, payload: dict[str, Any], audience: Audience) -> str:
    return json.dumps({"id": uuid.uuid4().hex, "topic": topic, "payload": payload,
                       "audience": _audience_value(audience), "at": utcnow().isoformat()}, default=str)


async def publish(topic: str, payload: dict[str, Any], audience: Audience) -> bool:
    """Send an event now. Returns whether Redis took it."""
    message = encode(topic, payload, audience)
    try:
        await get_redis().publish(CHANNEL, message)
    except Exception:  # live events are best effort; the change itself is already saved
        logger.warning("event not published", exc_info=True, extra={"topic": topic})
        return False
    return True


def publish_after_commit(session: AsyncSession, topic: str, payload: dict[str, Any], audience: Audience) -> None:
    """Send the event once the session's transaction committed. A unit of work's events go out
    together, in order, in one pipelined round trip: a batch of mail announces four events a
    message, and one PUBLISH each was a round trip each. Events added in a savepoint that rolls
    back go with it (core/db.py `savepoint` restores `session.info`)."""
    message = encode(topic, payload, audience)  # validated now, while the caller can still fail
    pending: list[str] = session.info.setdefault(_PENDING, [])
    if not pending:
        after_commit(session, lambda: _send_pending(session))
    pending.append(message)


_PENDING = "events_pending"


async def _send_pending(session: AsyncSession) -> None:
    messages = session.info.pop(_PENDING, [])
    if not messages:
        return
    try:
        async with get_redis().pipeline(transaction=False) as pipe:
            for message in messages:
                pipe.publish(CHANNEL, message)
            await pipe.execute()
    except Exception:  # best effort, as `publish`: the change itself is saved
        logger.warning("events not published", exc_info=True, extra={"events": len(messages)})


def may_receive(user: Actor, audience: str | None) -> bool:
    """The record visibility rule, applied to an event's audience."""
    if audience == STAFF:
        return user.role in (Role.admin, Role.manager)
    if audience == ADMINS:
        return user.role == Role.admin
    try:
        owner_id = uuid.UUID(audience) if audience else None
    except ValueError:
        return False  # an audience this version does not know: share nothing
    return can_see(SimpleNamespace(owner_id=owner_id), user)


__all__ = ["ADMINS", "CHANNEL", "STAFF", "may_receive", "publish", "publish_after_commit"]
