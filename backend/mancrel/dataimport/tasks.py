"""The import job: rows one by one, each in a savepoint, progress committed as it goes."""

import csv
import io
import logging
import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import commit, utcnow
from mancrel.core.errors import AppError
from mancrel.dataimport.handlers import RowError, load_importer
from mancrel.dataimport.models import ImportJob, ImportStatus
from mancrel.dataimport.repository import ImportRepository
from mancrel.user import service as user_service
from mancrel.worker.task import job

logger = logging.getLogger("mancrel.import")

PROGRESS_EVERY = 100  # rows between commits: what GET /imports/{id} shows while it runs
MAX_ERRORS_KEPT = 1000


def _rows(job_row: ImportJob) -> Any:
    """(row number as the user sees it in a spreadsheet, mapped values without empty cells)."""
    reader = csv.DictReader(io.StringIO(job_row.content))
    reader.fieldnames = [h.strip() for h in reader.fieldnames or []]
    number = 1
    for raw in reader:
        number += 1
        values = {field: (raw.get(column) or "").strip() for column, field in job_row.mapping.items()}
        values = {k: v for k, v in values.items() if v}
        if any((cell or "").strip() for cell in raw.values() if isinstance(cell, str)):
            yield number, values


def _row_error(exc: Exception) -> str:
    if isinstance(exc, AppError):
        return exc.detail or exc.title
    if isinstance(exc, ValidationError):
        return exc.errors()[0]["msg"]
    return str(exc)


async def _one_row(session: AsyncSession, importer: Any, job_row: ImportJob, number: int,
                   values: dict[str, str], actor: Any) -> None:
    try:
        async with session.begin_nested():
            result = await importer.import_row(session, values=values, actor=actor)
    except (RowError, AppError, ValidationError) as exc:
        job_row.error_count += 1
        if len(job_row.errors) < MAX_ERRORS_KEPT:
            job_row.errors = [*job_row.errors, {"row": number, "message": _row_error(exc)}]
        return
    if result.created:
        job_row.created_count += 1
    else:
        job_row.skipped_count += 1
        if len(job_row.errors) < MAX_ERRORS_KEPT:
            job_row.errors = [*job_row.errors, {"row": number, "message": result.message, "skipped": True}]


@job("crm.import_rows", time_limit=3600)
async def import_rows(session: AsyncSession, import_id: uuid.UUID) -> None:
    job_row = await ImportRepository(session).get(import_id)
    if job_row is None or job_row.status in (ImportStatus.done, ImportStatus.failed):
        return  # a redelivered job that already finished
    actor = await user_service.get(session, job_row.created_by_id) if job_row.created_by_id else None
    if actor is None or not actor.is_active:
        job_row.status, job_row.finished_at = ImportStatus.failed, utcnow()
        job_row.failure = "the importing user is gone"
        return
    importer = load_importer(job_row.object_type)
    job_row.status = ImportStatus.running
    job_row.started_at = job_row.started_at or utcnow()
    await commit(session)
    try:
        await _run_rows(session, importer, job_row, actor)
    except Exception as exc:
        # A fault that is not one row's (the database went away, a bug): keep the progress
        # committed so far, and tell the user instead of showing "running" for ever.
        logger.exception("import %s stopped", import_id)
        session.info.clear()  # jobs enqueued since the last commit are rolled back with it
        await session.rollback()
        await session.refresh(job_row)
        job_row.status, job_row.finished_at = ImportStatus.failed, utcnow()
        job_row.failure = f"stopped after row {job_row.processed_rows + 1}: {type(exc).__name__}"
        return
    job_row.processed_rows = job_row.total_rows
    job_row.status, job_row.finished_at = ImportStatus.done, utcnow()
    logger.info("import %s done: %s created, %s skipped, %s errors", job_row.id, job_row.created_count,
                job_row.skipped_count, job_row.error_count)


async def _run_rows(session: AsyncSession, importer: Any, job_row: ImportJob, actor: Any) -> None:
    # A redelivered job resumes after the rows whose results were already committed.
    for index, (number, values) in enumerate(_rows(job_row), start=1):
        if index <= job_row.processed_rows:
            continue
        await _one_row(session, importer, job_row, number, values, actor)
        job_row.processed_rows = index
        if job_row.processed_rows % PROGRESS_EVERY == 0:
            await commit(session)
