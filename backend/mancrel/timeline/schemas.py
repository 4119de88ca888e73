import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class TimelineEntry(BaseModel):
    kind: str = Field(description="activity, stage_change or message.")
    id: uuid.UUID
    at: datetime
    data: Any = Field(description="The entry in its own shape: ActivityRead, StageChangeRead, ...")


class TimelinePage(BaseModel):
    items: list[TimelineEntry]
    next_cursor: str | None = None
