"""Failing jobs: retried when transient, dead-lettered at the end, replayed once fixed."""

import asyncio
import json
import subprocess
from datetime import datetime

import pytest

from mancrel.core.db import commit
from mancrel.core.permissions import Role
from mancrel.core.redis import get_redis
from mancrel.deadletter.models import DeadLetter, DeadLetterStatus
from tests.conftest import mancrel_command, worker_env
from tests.factories import auth_headers, make_user
from tests.worker.factories import make_dead_letter
from tests.worker.helpers import broker_is_idle, enqueue_committed, eventually
from tests.worker.shop_server import running_shop


@pytest.fixture
def shop():
    with running_shop() as server:
        yield server


async def _letters(client, admin, **params) -> list[dict]:
    response = await client.get("/api/v1/dead-letters", params=params, headers=auth_headers(admin))
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_job_failing_on_a_5xx_is_retried_then_dead_lettered_and_replay_runs_it_once(
        committed_db, committed_client, celery_worker, shop, effects):
    admin = await make_user(committed_db, role=Role.admin)
    await commit(committed_db)
    await enqueue_committed(committed_db, "tests.call_shop", key="shop", url=shop.url)

    letters = await eventually(lambda: _letters(committed_client, admin, task_name="tests.call_shop"))
    letter = letters[0]
    assert letter["attempts"] == 3 and shop.requests == 3  # first try + max_retries=2, then it gave up
    assert "503" in letter["error"] and letter["status"] == "pending"
    assert datetime.fromisoformat(letter["first_failed_at"]) < datetime.fromisoformat(letter["last_failed_at"])
    assert await effects("shop") == 0

    detail = (await committed_client.get(f"/api/v1/dead-letters/{letter['id']}", headers=auth_headers(admin))).json()
    assert "HTTPStatusError" in detail["traceback"] and detail["kwargs"] == {"key": "shop", "url": shop.url}

    shop.status = 200  # the cause is fixed
    replay = await committed_client.post(f"/api/v1/dead-letters/{letter['id']}/replay", headers=auth_headers(admin))
    assert replay.status_code == 200 and replay.json()["status"] == "replayed"
    again = await committed_client.post(f"/api/v1/dead-letters/{letter['id']}/replay", headers=auth_headers(admin))
    assert again.status_code == 409  # a second click does not run it twice

    await eventually(lambda: effects("shop"))
    # A second replay's job would have been published before its 409 answer: once the broker
    # holds nothing, it would have run.
    await eventually(lambda: broker_is_idle(get_redis()))
    assert await effects("shop") == 1 and shop.requests == 4
    assert await _letters(committed_client, admin, task_name="tests.call_shop") == []  # no longer pending


async def test_a_permanent_error_is_dead_lettered_without_retries(committed_db, committed_client, celery_worker,
                                                                 effects):
    admin = await make_user(committed_db, role=Role.admin)
    await commit(committed_db)
    await enqueue_committed(committed_db, "tests.refuse", key="refused")

    letters = await eventually(lambda: _letters(committed_client, admin, task_name="tests.refuse"))
    assert letters[0]["attempts"] == 1 and letters[0]["error_type"].endswith("PermanentError")
    assert int(await get_redis().get("test:runs:refused")) == 1
    assert await effects("refused") == 0  # its write was rolled back with the failure


async def test_only_admins_see_or_touch_dead_letters(committed_db, committed_client):
    manager = await make_user(committed_db, role=Role.manager)
    letter = await make_dead_letter(committed_db)
    await commit(committed_db)
    headers = auth_headers(manager)
    for method, path in (("GET", ""), ("GET", f"/{letter.id}"), ("POST", f"/{letter.id}/replay"),
                         ("POST", "/replay"), ("DELETE", f"/{letter.id}")):
        response = await committed_client.request(method, f"/api/v1/dead-letters{path}", headers=headers, json={})
        assert response.status_code == 403, (method, path)
    assert (await committed_client.get("/api/v1/dead-letters")).status_code == 401


async def test_replay_by_filter_and_discard(committed_db, committed_client, celery_worker, effects):
    admin = await make_user(committed_db, role=Role.admin)
    wanted = await make_dead_letter(committed_db, task_name="tests.record", key="by-filter", error="shop said 502")
    other = await make_dead_letter(committed_db, task_name="tests.record", key="other", error="bad sku")
    await commit(committed_db)
    headers = auth_headers(admin)

    bad = await committed_client.post("/api/v1/dead-letters/replay", json={"task": "x"}, headers=headers)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    response = await committed_client.post("/api/v1/dead-letters/replay", headers=headers,
                                           json={"task_name": "tests.record", "error_contains": "502"})
    assert response.status_code == 200 and response.json()["replayed"] == 1
    assert response.json()["items"][0]["id"] == str(wanted.id)
    await eventually(lambda: effects("by-filter"))
    assert await effects("other") == 0

    assert (await committed_client.delete(f"/api/v1/dead-letters/{other.id}", headers=headers)).status_code == 204
    assert (await committed_client.get(f"/api/v1/dead-letters/{other.id}", headers=headers)).status_code == 404
    remaining = await _letters(committed_client, admin, status="replayed")
    assert [d["id"] for d in remaining] == [str(wanted.id)]
    assert [d["id"] for d in await _letters(committed_client, admin, status="all")] == [str(wanted.id)]
    assert await _letters(committed_client, admin) == []  # pending only, by default
    audit = (await committed_client.get("/api/v1/audit", params={"entity_type": "dead_letter"}, headers=headers)).json()
    assert {e["action"] for e in audit["items"]} == {"dead_letter.replayed", "dead_letter.discarded"}


def _dlq(servers, *args: str) -> str:
    result = subprocess.run(mancrel_command("dlq", *args), env=worker_env(servers), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


async def test_the_dlq_command_lists_shows_replays_and_discards(committed_db, servers, celery_worker, effects):
    first = await make_dead_letter(committed_db, task_name="tests.record", key="from-cli", error="timeout at shop")
    second = await make_dead_letter(committed_db, task_name="tests.record", key="discard-me")
    await commit(committed_db)

    listing = await asyncio.to_thread(_dlq, servers, "list")
    assert str(first.id) in listing and str(second.id) in listing and "2 shown" in listing
    shown = json.loads(await asyncio.to_thread(_dlq, servers, "show", str(first.id)))
    assert shown["kwargs"] == {"key": "from-cli"} and "RuntimeError" in shown["traceback"]

    assert "replayed 1" in await asyncio.to_thread(_dlq, servers, "replay", "--error", "timeout")
    await eventually(lambda: effects("from-cli"))
    await asyncio.to_thread(_dlq, servers, "discard", str(second.id))
    await committed_db.refresh(first)
    assert first.status == DeadLetterStatus.replayed and first.replay_task_id is not None
    assert await committed_db.get(DeadLetter, second.id, populate_existing=True) is None
