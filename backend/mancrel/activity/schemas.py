import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from mancrel.activity.models import ActivityType
from mancrel.core.types import Text, UtcDateTime


class ActivityCreate(BaseModel):
    type: ActivityType
    subject: Text = Field(min_length=1, max_length=300)
    body: Text = Field(default="", max_length=100_000)
    occurred_at: UtcDateTime | None = Field(default=None, description="When it happened or is planned; now if omitted.")
    due_at: UtcDateTime | None = None
    done_at: UtcDateTime | None = None
    assignee_id: uuid.UUID | None = Field(default=None, description="Tasks default to the caller.")
    owner_id: uuid.UUID | None = Field(default=None, description="The caller if omitted.")
    contact_id: uuid.UUID | None = None
    company_id: uuid.UUID | None = None
    deal_id: uuid.UUID | None = None


class ActivityUpdate(BaseModel):
    """Set `done_at` to complete a task, or null to reopen it."""

    type: ActivityType | None = None
    subject: Text | None = Field(default=None, min_length=1, max_length=300)
    body: Text | None = Field(default=None, max_length=100_000)
    occurred_at: UtcDateTime | None = None
    due_at: UtcDateTime | None = None
    done_at: UtcDateTime | None = None
    assignee_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    company_id: uuid.UUID | None = None
    deal_id: uuid.UUID | None = None


class ActivityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    type: ActivityType
    subject: str
    body: str
    occurred_at: datetime
    due_at: datetime | None
    done_at: datetime | None
    assignee_id: uuid.UUID | None
    owner_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    company_id: uuid.UUID | None
    deal_id: uuid.UUID | None
    version: int
    deleted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    conversation_id: uuid.UUID | None = Field(
        default=None, description="Tasks an escalation or a failed reply opened: the conversation they are about.")


class ActivityPage(BaseModel):
    items: list[ActivityRead]
    next_cursor: str | None = None


class MyTasks(BaseModel):
    """The caller's open tasks (activities with a due time, not done), each group by due time."""

    overdue: list[ActivityRead]
    today: list[ActivityRead]
    upcoming: list[ActivityRead]


class ActivityFilters(BaseModel):
    q: Text | None = Field(default=None, max_length=200, description="Search in subjects.")
    type: ActivityType | None = None
    owner_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    company_id: uuid.UUID | None = None
    deal_id: uuid.UUID | None = None
    done: bool | None = Field(default=None, description="true: completed only; false: open only.")
    due_after: UtcDateTime | None = None
    due_before: UtcDateTime | None = None
    created_after: UtcDateTime | None = None
    created_before: UtcDateTime | None = None
    updated_after: UtcDateTime | None = None
    updated_before: UtcDateTime | None = None
    deleted: bool = Field(default=False, description="List soft-deleted activities instead (managers and admins).")
    sort: Text = Field(default="-occurred_at", max_length=50,
                      description="occurred_at, created_at or updated_at; '-' for descending.")
