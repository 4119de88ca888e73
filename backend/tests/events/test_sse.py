"""Live events over SSE from a real HTTP server: delivery, visibility, auth, heartbeats."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import httpx
import pytest
import uvicorn

from mancrel import events
from mancrel.core.db import commit
from mancrel.core.embedded import free_port
from mancrel.core.permissions import Role
from mancrel.core.security import create_access_token
from mancrel.events import router as events_router
from tests.factories import auth_headers, make_user
from tests.worker.helpers import eventually


@pytest.fixture
async def live_url(app) -> AsyncIterator[str]:
    """The real app behind uvicorn on a free port (streams need a real server)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None,
                                           timeout_graceful_shutdown=2))
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started, within=20, interval=0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


class Stream:
    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.aiter_lines()

    async def next_block(self) -> list[str]:
        block: list[str] = []
        async for line in self.lines:
            if line == "" and block:
                return block
            if line:
                block.append(line)
        return block  # the server ended the stream

    async def next_event(self) -> dict:
        """The next event, skipping comments (heartbeats); fails after a few seconds."""
        while True:
            block = await asyncio.wait_for(self.next_block(), timeout=10)
            assert block, "the stream ended"
            data = [line[len("data: "):] for line in block if line.startswith("data: ")]
            if data:
                topic = next(line[len("event: "):] for line in block if line.startswith("event: "))
                return {"event": topic, **json.loads(data[0])}


async def _connect(http: httpx.AsyncClient, url: str, stack, **kwargs) -> Stream:
    response = await stack.enter_async_context(http.stream("GET", f"{url}/api/v1/events", **kwargs))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    stream = Stream(response)
    first = await asyncio.wait_for(stream.next_block(), timeout=10)
    assert ": connected" in first  # subscribed from here on
    return stream


async def test_a_client_receives_events_published_after_it_connected_and_only_those_it_may_see(
        committed_db, live_url):
    owner = await make_user(committed_db, role=Role.rep)
    other_rep = await make_user(committed_db, role=Role.rep)
    manager = await make_user(committed_db, role=Role.manager)
    await commit(committed_db)

    async with httpx.AsyncClient(timeout=10) as http, AsyncExitStack() as stack:
        owner_stream = await _connect(http, live_url, stack, headers=auth_headers(owner))
        token, _ = create_access_token(other_rep.id, other_rep.role)  # EventSource style: token in the URL
        other_stream = await _connect(http, live_url, stack, params={"access_token": token})
        manager_stream = await _connect(http, live_url, stack, headers=auth_headers(manager))

        assert await events.publish("deal.moved", {"deal_id": "d1", "stage": "Won"}, audience=owner.id)
        assert await events.publish("contact.created", {"contact_id": "c1"}, audience=None)  # unassigned

        first = await owner_stream.next_event()
        assert first["event"] == "deal.moved" and first["payload"] == {"deal_id": "d1", "stage": "Won"}
        assert (await manager_stream.next_event())["event"] == "deal.moved"
        # The other rep's first event is the unassigned one: the owner's deal never reached them.
        assert (await other_stream.next_event())["payload"] == {"contact_id": "c1"}
        assert (await owner_stream.next_event())["event"] == "contact.created"


async def test_staff_events_reach_managers_not_reps(committed_db, live_url):
    rep = await make_user(committed_db, role=Role.rep)
    manager = await make_user(committed_db, role=Role.manager)
    await commit(committed_db)
    async with httpx.AsyncClient(timeout=10) as http, AsyncExitStack() as stack:
        rep_stream = await _connect(http, live_url, stack, headers=auth_headers(rep))
        manager_stream = await _connect(http, live_url, stack, headers=auth_headers(manager))
        await events.publish("escalation.opened", {"conversation_id": "x"}, audience=events.STAFF)
        await events.publish("deal.moved", {"deal_id": "mine"}, audience=rep.id)
        assert (await manager_stream.next_event())["event"] == "escalation.opened"
        assert (await rep_stream.next_event())["payload"] == {"deal_id": "mine"}


async def test_the_stream_needs_a_valid_token(committed_db, live_url):
    async with httpx.AsyncClient(timeout=10) as http:
        missing = await http.get(f"{live_url}/api/v1/events")
        forged = await http.get(f"{live_url}/api/v1/events", params={"access_token": "not-a-token"})
    for response in (missing, forged):
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_quiet_streams_get_heartbeats_and_end_when_the_account_is_deactivated(
        committed_db, live_url, monkeypatch):
    monkeypatch.setattr(events_router, "HEARTBEAT_SECONDS", 0.3)
    rep = await make_user(committed_db, role=Role.rep)
    await commit(committed_db)
    async with httpx.AsyncClient(timeout=10) as http, AsyncExitStack() as stack:
        stream = await _connect(http, live_url, stack, headers=auth_headers(rep))
        assert await asyncio.wait_for(stream.next_block(), timeout=10) == [": heartbeat"]
        rep.is_active = False
        await commit(committed_db)
        blocks = []
        while block := await asyncio.wait_for(stream.next_block(), timeout=10):
            blocks.append(block)
        assert all(b == [": heartbeat"] for b in blocks)  # then the server closed the stream
