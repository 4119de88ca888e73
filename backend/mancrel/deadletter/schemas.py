import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mancrel.core.types import Text, UtcDateTime
from mancrel.deadletter.models import DeadLetterStatus


class DeadLetterFilters(BaseModel):
    task_name: Text | None = Field(None, max_length=200, description="Exact task name, e.g. `ai.embed_contact`.")
    status: DeadLetterStatus | Literal["all"] | None = Field(
        DeadLetterStatus.pending, description="Default: pending only; `all` for every status.")
    error_contains: Text | None = Field(None, max_length=200, description="Case-insensitive part of the error.")
    failed_after: UtcDateTime | None = None
    failed_before: UtcDateTime | None = None


class DeadLetterSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    task_id: str
    task_name: str
    kwargs: dict[str, Any]
    error: str
    error_type: str
    attempts: int
    first_failed_at: datetime
    last_failed_at: datetime
    status: DeadLetterStatus
    replayed_at: datetime | None
    replay_task_id: uuid.UUID | None


class DeadLetterRead(DeadLetterSummary):
    traceback: str


class DeadLetterPage(BaseModel):
    items: list[DeadLetterSummary]
    next_cursor: str | None = None


class ReplayByFilter(BaseModel):
    """Replay every pending dead letter matching these (at most `limit` per call)."""

    model_config = ConfigDict(extra="forbid")

    task_name: Text | None = Field(None, max_length=200)
    error_contains: Text | None = Field(None, max_length=200)
    failed_after: UtcDateTime | None = None
    failed_before: UtcDateTime | None = None
    limit: int = Field(500, ge=1, le=1000)


class ReplayResult(BaseModel):
    replayed: int
    items: list[DeadLetterSummary]
