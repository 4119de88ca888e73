"""Imports that stopped moving: resume them, or after a few tries fail them with a reason.

Each committed chunk of an import moves its `updated_at`. When a whole worker dies (power
cut, SIGKILL of its main process) the broker hands its job out again only after the
visibility timeout (30 minutes), and a job lost with the broker's data never comes back;
either way the user would see `running` for ever. Beat runs `crm.sweep_imports` every
minute: an unfinished import unchanged for STALLED_AFTER gets a new job, which resumes
after the committed rows (dataimport/tasks.py). MAX_RESUMES resumes in a row without a
chunk committed in between mean something stops it each time (a row that kills the
worker, say): the import fails, saying where, instead of looping.

A new job for an import that is in fact alive but slow costs nothing: it finds the import
locked or moved on, and leaves.
"""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from mancrel.core.db import utcnow
from mancrel.dataimport.models import ImportJob, ImportStatus
from mancrel.worker.outbox import enqueue

# Well past the time one chunk takes (about a second) and past a busy queue's wait.
STALLED_AFTER = timedelta(minutes=10)
MAX_RESUMES = 3
SWEEP_BATCH = 100


async def sweep(session: AsyncSession, *, stalled_for: timedelta) -> int:
    """Resume or fail every unfinished import unchanged for `stalled_for`. How many."""
    stalled = list(await session.scalars(
        select(ImportJob).options(defer(ImportJob.content))
        .where(ImportJob.status.in_((ImportStatus.queued, ImportStatus.running)),
               ImportJob.updated_at < utcnow() - stalled_for)
        .order_by(ImportJob.updated_at).limit(SWEEP_BATCH)
        .with_for_update(skip_locked=True)))  # locked: a job is committing a chunk right now
    for job_row in stalled:
        if job_row.resumes >= MAX_RESUMES:
            job_row.status, job_row.finished_at = ImportStatus.failed, utcnow()
            job_row.failure = (f"stopped after {job_row.processed_rows} of {job_row.total_rows} rows: no "
                               f"progress after {job_row.resumes} restarts (those rows are imported)")
            continue
        job_row.resumes += 1  # also moves updated_at: the next look is STALLED_AFTER away
        enqueue(session, "crm.import_rows", import_id=job_row.id)
    return len(stalled)
