"""An import survives its worker dying: it resumes after the committed rows, or the sweeper
restarts it, or it fails saying why; never `running` for ever (issue 24, reading point 1)."""

import asyncio
import os
import signal
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, update

from mancrel.contact.models import Contact
from mancrel.dataimport import sweeper
from mancrel.dataimport.models import ImportJob
from mancrel.dataimport.tasks import import_rows
from mancrel.worker.models import OutboxMessage
from tests.conftest import start_worker
from tests.contact.factories import quick_user
from tests.dataimport.test_imports import _upload
from tests.factories import auth_headers

ROWS = 1500


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


async def _import_state(client, import_id, user) -> dict:
    response = await client.get(f"/api/v1/imports/{import_id}", headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return response.json()


async def _wait_for(client, import_id, user, done, within: float) -> dict:
    deadline = time.monotonic() + within  # a bound for a loaded machine, not a speed check
    while True:
        body = await _import_state(client, import_id, user)
        if done(body) or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.1)


async def test_an_import_whose_worker_is_killed_finishes_with_every_row_once(
        committed_client, committed_db, servers, tmp_path):
    rep = await quick_user(committed_db)
    await committed_db.commit()
    rep_id = rep.id
    csv_text = "first_name,emails\n" + "".join(f"Row{i},row{i}@resume.example\n" for i in range(ROWS))
    # Only the import's queue: the contacts' embedding jobs would share the one child.
    worker = start_worker(servers, tmp_path / "worker.log", "-Q", "default")
    try:
        response = await _upload(committed_client, rep, csv_text)
        assert response.status_code == 202, response.text
        import_id = response.json()["id"]
        started = await _wait_for(committed_client, import_id, rep, lambda b: b["processed_rows"] >= 200, 120)
        assert started["status"] == "running", worker.output()[-3000:]
        (child,) = _children(worker.pid)
        os.kill(child, signal.SIGKILL)  # mid-import, between or inside a chunk

        body = await _wait_for(committed_client, import_id, rep, lambda b: b["status"] not in ("queued", "running"),
                               300)
        assert body["status"] == "done", (body, worker.output()[-3000:])
        assert (body["processed_rows"], body["created_count"], body["skipped_count"], body["error_count"]) == (
            ROWS, ROWS, 0, 0)
        contacts = select(func.count(), func.count(func.distinct(Contact.emails))).where(Contact.owner_id == rep.id)
        assert tuple((await committed_db.execute(contacts)).one()) == (ROWS, ROWS)  # each row once
        assert _children(worker.pid) != [child]  # it really died and a new child took over
    finally:
        worker.kill()
        await committed_db.rollback()
        await committed_db.execute(delete(Contact).where(Contact.owner_id == rep_id))
        await committed_db.execute(delete(ImportJob).where(ImportJob.created_by_id == rep_id))
        await committed_db.commit()


async def test_the_sweeper_restarts_an_import_whose_job_was_lost(client, db):
    rep = await quick_user(db)
    job = (await _upload(client, rep, "first_name\nA\nB\nC\n")).json()
    import_id = uuid.UUID(job["id"])
    # The job's message is gone (the broker lost it, or its worker died whole): nothing runs.
    await db.execute(delete(OutboxMessage).where(OutboxMessage.task_name == "crm.import_rows"))
    await db.execute(update(ImportJob).where(ImportJob.id == import_id)
                     .values(updated_at=func.now() - timedelta(minutes=11)))
    assert await sweeper.sweep(db, stalled_for=sweeper.STALLED_AFTER) == 1
    resent = await db.scalar(select(OutboxMessage).where(OutboxMessage.task_name == "crm.import_rows"))
    assert resent is not None and resent.kwargs == {"import_id": str(import_id)}

    await import_rows.run_async(db, **resent.kwargs)
    await db.flush()
    body = await _import_state(client, import_id, rep)
    assert (body["status"], body["created_count"]) == ("done", 3)
    # A live import (moved recently) is left alone.
    assert await sweeper.sweep(db, stalled_for=sweeper.STALLED_AFTER) == 0


async def test_an_import_that_never_moves_again_fails_with_its_reason(client, db):
    rep = await quick_user(db)
    job = (await _upload(client, rep, "first_name\nA\nB\n")).json()
    import_id = uuid.UUID(job["id"])
    await db.execute(update(ImportJob).where(ImportJob.id == import_id).values(status="running", processed_rows=1))
    for _ in range(sweeper.MAX_RESUMES + 1):  # every restart dies before a chunk commits
        await db.execute(update(ImportJob).where(ImportJob.id == import_id)
                         .values(updated_at=func.now() - timedelta(hours=1)))
        assert await sweeper.sweep(db, stalled_for=sweeper.STALLED_AFTER) == 1
    await db.flush()
    body = await _import_state(client, import_id, rep)
    assert body["status"] == "failed" and body["finished_at"] is not None
    assert body["failure"].startswith("stopped after 1 of 2 rows")
