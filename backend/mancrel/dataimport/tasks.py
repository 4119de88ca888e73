"""The import job: resumable, in chunks of rows each committed with its progress.

A chunk's rows (each in its own savepoint, so one bad row leaves nothing behind) and the
counters that say how far the import got commit together, so whatever stops the job (a
worker killed mid-row, a lost connection, a time limit) leaves either the whole chunk or
none of it, and `processed_rows` says exactly where to go on from. The job is therefore
not once-only: a redelivered or re-sent job resumes after the committed rows, and so does
one started by the sweeper (dataimport/sweeper.py) for an import that stopped moving.

Each chunk first locks the import row (SKIP LOCKED): two copies of the job never import
the same rows; the one that finds the row taken, or finds it moved on, leaves. A job runs
for at most SLICE_SECONDS and then hands over to a new job (enqueued with its last chunk),
so a 100,000-row file never comes near the task's time limit or the broker's visibility
timeout.
"""

import csv
import io
import logging
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from mancrel.core.db import commit, utcnow
from mancrel.core.errors import AppError
from mancrel.dataimport import sweeper
from mancrel.dataimport.handlers import RowError, load_importer
from mancrel.dataimport.models import ImportJob, ImportStatus
from mancrel.user import service as user_service
from mancrel.worker.app import BEAT_SCHEDULE
from mancrel.worker.errors import is_transient
from mancrel.worker.outbox import enqueue
from mancrel.worker.task import job

logger = logging.getLogger("mancrel.import")

CHUNK_ROWS = 100  # rows per commit: what GET /imports/{id} shows while it runs
SLICE_SECONDS = 120.0  # then a new job goes on: far below the task's 600 s limit
MAX_ERRORS_KEPT = 1000


def _rows(content: str, mapping: dict[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as the user sees it in a spreadsheet, mapped values without empty cells)."""
    reader = csv.DictReader(io.StringIO(content))
    reader.fieldnames = [h.strip() for h in reader.fieldnames or []]
    number = 1
    for raw in reader:
        number += 1
        values = {field: (raw.get(column) or "").strip() for column, field in mapping.items()}
        values = {k: v for k, v in values.items() if v}
        if any((cell or "").strip() for cell in raw.values() if isinstance(cell, str)):
            yield number, values


def _row_error(exc: Exception) -> str:
    if isinstance(exc, AppError):
        return exc.detail or exc.title
    if isinstance(exc, ValidationError):
        return exc.errors()[0]["msg"]
    return str(exc)


def _note(job_row: ImportJob, number: int, message: str | None, **extra: Any) -> None:
    if len(job_row.errors) < MAX_ERRORS_KEPT:
        job_row.errors = [*job_row.errors, {"row": number, "message": message, **extra}]


async def _one_row(session: AsyncSession, importer: Any, job_row: ImportJob, number: int,
                   values: dict[str, str], actor: Any) -> None:
    try:
        async with session.begin_nested():
            result = await importer.import_row(session, values=values, actor=actor)
    except (RowError, AppError, ValidationError) as exc:
        job_row.error_count += 1
        _note(job_row, number, _row_error(exc))
        return
    if result.created:
        job_row.created_count += 1
    else:
        job_row.skipped_count += 1
        _note(job_row, number, result.message, skipped=True)


async def _lock(session: AsyncSession, import_id: uuid.UUID) -> ImportJob | None:
    """The import, locked for this transaction and read afresh; None while another copy of
    the job holds it (or if it is gone). The file itself is not read again."""
    return await session.scalar(
        select(ImportJob).where(ImportJob.id == import_id).options(defer(ImportJob.content))
        .with_for_update(skip_locked=True).execution_options(populate_existing=True))


@job("crm.import_rows", once=False)
async def import_rows(session: AsyncSession, import_id: uuid.UUID) -> None:
    job_row = await _lock(session, import_id)
    if job_row is None or job_row.status in (ImportStatus.done, ImportStatus.failed):
        return  # finished, or another copy of this job is at work on it
    actor = await user_service.get(session, job_row.created_by_id) if job_row.created_by_id else None
    if actor is None or not actor.is_active:
        job_row.status, job_row.finished_at = ImportStatus.failed, utcnow()
        job_row.failure = "the importing user is gone"
        return
    importer = load_importer(job_row.object_type)
    content = (await session.scalar(select(ImportJob.content).where(ImportJob.id == import_id))) or ""
    job_row.status = ImportStatus.running
    job_row.started_at = job_row.started_at or utcnow()
    await commit(session)
    try:
        await _run_slice(session, importer, import_id, content, dict(job_row.mapping), actor)
    except Exception as exc:
        session.info.clear()  # jobs enqueued since the last commit are rolled back with it
        await session.rollback()
        if is_transient(exc) or isinstance(exc, SoftTimeLimitExceeded):
            raise  # retried with backoff; the retry resumes after the committed chunks
        # Not one row's fault and not passing (a bug): keep the committed progress and tell
        # the user, instead of showing "running" for ever.
        logger.exception("import %s stopped", import_id)
        await _fail(session, import_id, exc)


async def _fail(session: AsyncSession, import_id: uuid.UUID, exc: Exception) -> None:
    job_row = await session.scalar(select(ImportJob).where(ImportJob.id == import_id).with_for_update()
                                   .execution_options(populate_existing=True))
    if job_row is not None and job_row.status == ImportStatus.running:
        job_row.status, job_row.finished_at = ImportStatus.failed, utcnow()
        job_row.failure = (f"stopped after {job_row.processed_rows} of {job_row.total_rows} rows: "
                           f"{type(exc).__name__}")


async def _run_slice(session: AsyncSession, importer: Any, import_id: uuid.UUID, content: str,
                     mapping: dict[str, str], actor: Any) -> None:
    """Chunks until the file ends (the caller's commit finishes the import) or the slice
    is used up (a new job, committed with the last chunk, goes on)."""
    deadline = time.monotonic() + SLICE_SECONDS
    rows = _rows(content, mapping)
    position = 0  # rows of `rows` consumed so far
    while True:
        job_row = await _lock(session, import_id)
        if job_row is None or job_row.status != ImportStatus.running:
            return
        if position == 0:
            for _ in range(job_row.processed_rows):  # resume after the committed rows
                next(rows, None)
            position = job_row.processed_rows
        elif job_row.processed_rows != position:
            return  # another copy of the job went on meanwhile: leave the file to it
        chunk = [row for _, row in zip(range(CHUNK_ROWS), rows, strict=False)]
        for number, values in chunk:
            await _one_row(session, importer, job_row, number, values, actor)
        position += len(chunk)
        job_row.processed_rows, job_row.resumes = position, 0
        if len(chunk) < CHUNK_ROWS:
            job_row.processed_rows = job_row.total_rows  # the user reads "N of N"
            job_row.status, job_row.finished_at = ImportStatus.done, utcnow()
            logger.info("import %s done: %s created, %s skipped, %s errors", import_id,
                        job_row.created_count, job_row.skipped_count, job_row.error_count)
            return
        if time.monotonic() > deadline:
            enqueue(session, "crm.import_rows", import_id=import_id)
            return
        await commit(session)


@job("crm.sweep_imports", once=False, max_retries=0, dead_letter=False)
async def sweep_imports(session: AsyncSession) -> int:
    """Resume, or fail, imports that have not moved for a while (a worker that died whole)."""
    return await sweeper.sweep(session, stalled_for=sweeper.STALLED_AFTER)


BEAT_SCHEDULE["sweep-imports"] = {"task": "crm.sweep_imports",
                                  "schedule": timedelta(minutes=1).total_seconds()}
