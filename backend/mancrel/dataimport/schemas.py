import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from mancrel.dataimport.models import ImportStatus


class ImportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    object_type: str
    status: ImportStatus
    filename: str
    mapping: dict[str, str]
    total_rows: int
    processed_rows: int
    created_count: int
    skipped_count: int
    error_count: int
    errors: list[dict[str, Any]]
    failure: str | None
    created_by_id: uuid.UUID | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ImportPage(BaseModel):
    items: list[ImportRead]
    next_cursor: str | None = None
