"""Enqueue after commit through the outbox, with a real worker and a real beat."""

from sqlalchemy import select

from mancrel.core.db import commit
from mancrel.core.permissions import Role
from mancrel.worker.models import OutboxMessage
from mancrel.worker.outbox import enqueue
from tests.factories import auth_headers, make_user
from tests.worker.factories import make_dead_letter
from tests.worker.helpers import enqueue_committed, eventually


async def test_a_rolled_back_transactions_job_never_runs(committed_db, celery_worker, effects):
    enqueue(committed_db, "tests.record", key="rolled-back")
    await committed_db.flush()
    await committed_db.rollback()
    # A job committed after it, on the same queue with one worker child, runs after it would have.
    await enqueue_committed(committed_db, "tests.record", key="committed")

    await eventually(lambda: effects("committed"))
    assert await effects("rolled-back") == 0
    assert await committed_db.scalar(select(OutboxMessage).where(
        OutboxMessage.kwargs["key"].astext == "rolled-back")) is None  # nothing left for the relay


async def test_request_committing_while_redis_is_down_succeeds_and_its_job_runs_once_redis_is_back(
        committed_db, committed_client, celery_worker, valkey_control, start_beat, effects):
    admin = await make_user(committed_db, role=Role.admin)
    letter = await make_dead_letter(committed_db, task_name="tests.record", key="redis-down")
    await commit(committed_db)

    valkey_control.stop()
    response = await committed_client.post(f"/api/v1/dead-letters/{letter.id}/replay", headers=auth_headers(admin))
    assert response.status_code == 200, response.text
    job_id = response.json()["replay_task_id"]
    message = await committed_db.get(OutboxMessage, job_id)
    assert message is not None and message.published_at is None  # committed, waiting for the relay

    valkey_control.start()
    start_beat()
    await eventually(lambda: effects("redis-down"), within=60)
    await committed_db.refresh(message)
    assert message.published_at is not None
    assert await effects("redis-down") == 1
