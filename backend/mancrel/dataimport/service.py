"""Accepting an uploaded CSV: checks done while the user waits, the rows left to the job."""

import asyncio
import csv
import io
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.core.permissions import Actor
from mancrel.dataimport.exceptions import ImportNotFound, InvalidImport
from mancrel.dataimport.handlers import IMPORTERS, load_importer
from mancrel.dataimport.models import ImportJob
from mancrel.dataimport.repository import ImportRepository
from mancrel.worker.outbox import enqueue

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000


def _invalid(field: str, message: str) -> InvalidImport:
    return InvalidImport(message, errors=[{"field": field, "in": "body", "message": message}])


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise _invalid("file", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _invalid("file", "the file is not UTF-8 text; save it as CSV UTF-8") from exc
    if "\x00" in text:  # PostgreSQL text cannot hold NUL: the stored file and every cell would fail
        raise _invalid("file", "the file contains NUL characters; it is not a CSV text file")
    return text


def read_header_and_count(text: str) -> tuple[list[str], int]:
    try:
        rows = csv.reader(io.StringIO(text))
        header = [h.strip() for h in next(rows, [])]
        count = sum(1 for row in rows if any(cell.strip() for cell in row))
    except csv.Error as exc:
        raise _invalid("file", f"the file is not valid CSV: {exc}") from exc
    if not header or not any(header):
        raise _invalid("file", "the file has no header row")
    if count > MAX_ROWS:
        raise _invalid("file", f"at most {MAX_ROWS} rows per import")
    return header, count


def _read(raw: bytes) -> tuple[str, tuple[list[str], int]]:
    text = decode(raw)
    return text, read_header_and_count(text)


def check_mapping(object_type: str, header: list[str], mapping: dict[str, str] | None) -> dict[str, str]:
    """CSV column -> record field. Without a mapping, columns named like a field map to it."""
    importer = load_importer(object_type)
    allowed = set(importer.FIELDS)
    custom_ok = getattr(importer, "CUSTOM_FIELDS_OBJECT", None) is not None
    if mapping is None:
        mapping = {h: h for h in header if h in allowed or (custom_ok and h.startswith("cf."))}
    for column, field in mapping.items():
        if column not in header:
            raise _invalid("mapping", f"the file has no column {column!r}")
        if field not in allowed and not (custom_ok and field.startswith("cf.")):
            choices = ", ".join(sorted(allowed))
            raise _invalid("mapping", f"{field!r} is not a {object_type} field; use one of {choices}")
    if not mapping:
        raise _invalid("mapping", "no column is mapped to a field")
    return mapping


async def create(session: AsyncSession, *, object_type: str, filename: str, raw: bytes,
                 mapping: dict[str, str] | None, actor: Actor) -> ImportJob:
    if object_type not in IMPORTERS:
        raise _invalid("object_type", f"choose one of {', '.join(IMPORTERS)}")
    # Decoding and counting a 10 MB file takes a second or more of CPU: off the event loop, so
    # one upload does not stall every other request.
    text, (header, count) = await asyncio.to_thread(_read, raw)
    mapping = check_mapping(object_type, header, mapping)
    filename = filename.replace("\x00", "")[:255]  # a multipart filename is client input too
    job = ImportJob(object_type=object_type, filename=filename, mapping=mapping, content=text,
                    total_rows=count, created_by_id=actor.id)
    session.add(job)
    await session.flush()
    await audit_service.record(session, actor=actor, action="import.created", entity_type="import",
                               entity_id=job.id, after={"object_type": object_type, "filename": job.filename,
                                                        "rows": count, "mapping": mapping})
    enqueue(session, "crm.import_rows", import_id=job.id)
    return job


async def get_visible(session: AsyncSession, import_id: uuid.UUID, actor: Actor) -> ImportJob:
    job = await ImportRepository(session).get_visible(import_id, actor)
    if job is None:
        raise ImportNotFound(f"No import with id {import_id}.")
    return job


async def list_page(session: AsyncSession, *, actor: Actor, limit: int, cursor: str | None) -> list[ImportJob]:
    return await ImportRepository(session).list_page(actor, limit=limit, cursor=cursor)
