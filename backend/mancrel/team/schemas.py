import uuid
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mancrel.ai import taxonomy
from mancrel.core.types import Text

INTENTS = (*taxonomy.INTENTS, taxonomy.OUT_OF_SCOPE)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # datetime.weekday() order


class TimeRange(BaseModel):
    """One working stretch within a day; `start` before `end` (split a night shift over two days)."""

    model_config = ConfigDict(extra="forbid")

    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> "TimeRange":
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


class WorkingHours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: str = "UTC"
    days: dict[str, list[TimeRange]] = Field(
        default_factory=dict, description="Keyed by mon..sun; a day not named is a day off.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value

    @field_validator("days")
    @classmethod
    def _weekdays(cls, value: dict[str, list[TimeRange]]) -> dict[str, list[TimeRange]]:
        unknown = sorted(set(value) - set(WEEKDAYS))
        if unknown:
            raise ValueError(f"unknown days: {', '.join(unknown)} (use {', '.join(WEEKDAYS)})")
        return value

    def contains(self, at: datetime) -> bool:
        local = at.astimezone(ZoneInfo(self.timezone))
        now = local.time().replace(tzinfo=None)
        return any(r.start <= now < r.end for r in self.days.get(WEEKDAYS[local.weekday()], []))


def _known_intents(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    unknown = [i for i in value if i not in INTENTS]
    if unknown:
        raise ValueError(f"unknown intents: {', '.join(unknown)}")
    return list(dict.fromkeys(value))


class TeamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text = Field(min_length=1, max_length=120)
    member_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    intents: list[str] = Field(default_factory=list, max_length=len(INTENTS),
                               description="The intents this team answers; an intent belongs to one team.")
    working_hours: WorkingHours | None = Field(default=None, description="null: always working.")
    manager_id: uuid.UUID | None = Field(default=None, description="Takes the team's work when no member is "
                                                                   "available; unset, an admin does.")

    _intents = field_validator("intents")(_known_intents)


class TeamUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text | None = Field(default=None, min_length=1, max_length=120)
    member_ids: list[uuid.UUID] | None = Field(default=None, max_length=500)
    intents: list[str] | None = Field(default=None, max_length=len(INTENTS))
    working_hours: WorkingHours | None = None
    manager_id: uuid.UUID | None = None

    _intents = field_validator("intents")(_known_intents)


class TeamRead(BaseModel):
    id: uuid.UUID
    name: str
    member_ids: list[uuid.UUID]
    intents: list[str]
    working_hours: WorkingHours | None
    manager_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
