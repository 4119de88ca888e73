import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from mancrel.core.permissions import Role
from mancrel.core.types import Text


def _normalise_email(value: str | None) -> str | None:
    # An explicit `"email": null` in an update reaches here too.
    return value.strip().lower() if value is not None else None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    is_active: bool
    created_at: datetime


class UserCreate(BaseModel):
    email: EmailStr
    password: Text = Field(min_length=10, max_length=256, description="At least 10 characters.")
    full_name: Text = Field(default="", max_length=200)
    role: Role = Role.rep
    is_active: bool = True

    _email = field_validator("email", mode="after")(_normalise_email)


class UserUpdate(BaseModel):
    email: EmailStr | None = None
    password: Text | None = Field(default=None, min_length=10, max_length=256)
    full_name: Text | None = Field(default=None, max_length=200)
    role: Role | None = None
    is_active: bool | None = None

    _email = field_validator("email", mode="after")(_normalise_email)


class UserSummary(BaseModel):
    """What every user may know of a colleague: enough to pick an owner."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    full_name: str
    email: str
    role: Role


class UserPage(BaseModel):
    items: list[UserRead]
    next_cursor: str | None = None
