import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mancrel.core.types import Text, UtcDateTime


class AuditFilters(BaseModel):
    entity_type: Text | None = Field(default=None, max_length=200)
    entity_id: Text | None = Field(default=None, max_length=200)
    actor_id: uuid.UUID | None = None
    action: Text | None = Field(default=None, max_length=200)
    since: UtcDateTime | None = None
    until: UtcDateTime | None = None


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    occurred_at: datetime
    actor_id: uuid.UUID | None
    actor_email: str | None
    action: str
    entity_type: str
    entity_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None


class AuditPage(BaseModel):
    items: list[AuditEntryRead]
    next_cursor: str | None = None
