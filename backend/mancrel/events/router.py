"""`GET /api/v1/events`: Server-Sent Events for the signed-in user.

Browsers' EventSource cannot send headers, so the access token may also come as
`?access_token=`. Each stream subscribes to the Redis channel on its own connection,
passes on only events the user may see, and sends a comment line as heartbeat when
quiet (proxies close idle connections; the heartbeat also notices a gone client). At
every heartbeat the user is reloaded: a deactivated account's stream ends. Access
tokens are short-lived but a stream outlives them by design: deactivation, not expiry,
ends it. When the stream ends (Redis restart, deploy), EventSource reconnects after
`retry` ms.
"""

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from redis.asyncio import Redis

from mancrel.auth.dependencies import get_current_user
from mancrel.core.config import get_settings
from mancrel.core.db import SessionDep, unit_of_work
from mancrel.core.errors import Unauthorized
from mancrel.core.permissions import Role
from mancrel.events import CHANNEL, may_receive
from mancrel.user import service as user_service
from mancrel.user.models import User

logger = logging.getLogger("mancrel.events")
router = APIRouter(tags=["events"])
_bearer = HTTPBearer(auto_error=False)

HEARTBEAT_SECONDS = 15.0
RECONNECT_MS = 3000


TokenQuery = Annotated[str | None, Query(description="For EventSource, which cannot set headers.")]


async def stream_user(session: SessionDep, header: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
                      access_token: TokenQuery = None) -> User:
    credentials = header or (HTTPAuthorizationCredentials(scheme="Bearer", credentials=access_token)
                             if access_token else None)
    if credentials is None:
        raise Unauthorized("Sign in to continue.")
    return await get_current_user(session, credentials)


async def _still_active(user_id: uuid.UUID) -> tuple[bool, Role | None]:
    async with unit_of_work() as session:
        user = await user_service.get(session, user_id)
        return (user is not None and user.is_active), (user.role if user else None)


def _frame(event: dict) -> str:
    data = json.dumps({"topic": event["topic"], "payload": event["payload"], "at": event["at"]})
    return f"id: {event['id']}\nevent: {event['topic']}\ndata: {data}\n\n"


async def _events(user_id: uuid.UUID, role: Role) -> AsyncIterator[str]:
    redis = Redis.from_url(get_settings().broker_url, decode_responses=True, socket_connect_timeout=2)
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    viewer = SimpleNamespace(id=user_id, role=role)
    try:
        await pubsub.subscribe(CHANNEL)
        # First bytes only once subscribed: a client that got them hears every later event.
        yield f"retry: {RECONNECT_MS}\n: connected\n\n"
        last_beat = time.monotonic()
        # Starlette cancels this generator when the client goes away.
        while True:
            message = await pubsub.get_message(timeout=1.0)
            if message is not None:
                event = json.loads(message["data"])
                if may_receive(viewer, event.get("audience")):
                    yield _frame(event)
            if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                active, viewer.role = await _still_active(user_id)
                if not active:
                    return
                yield ": heartbeat\n\n"
                last_beat = time.monotonic()
    except Exception:  # Redis gone: end the stream; the browser reconnects
        logger.warning("event stream ended", exc_info=True)
    finally:
        with anyio.CancelScope(shield=True):  # clean up even when cancelled by a disconnect
            await pubsub.aclose()
            await redis.aclose()


@router.get("/events", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "A stream of `event: <topic>` / `data: {topic, payload, at}`."}})
async def stream_events(user: Annotated[User, Depends(stream_user)]) -> StreamingResponse:
    return StreamingResponse(_events(user.id, user.role), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
