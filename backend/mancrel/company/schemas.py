import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mancrel.core import normalise
from mancrel.core.types import Tag, Text


def _domain(value: str | None) -> str | None:
    return normalise.domain(value) if value else None


class CompanyBase(BaseModel):
    industry: Text | None = Field(default=None, max_length=100)
    size: Text | None = Field(default=None, max_length=20, description="Headcount band, e.g. 11-50.")
    address: Text | None = Field(default=None, max_length=2000)


class CompanyCreate(CompanyBase):
    name: Text = Field(min_length=1, max_length=200)
    domain: Text | None = Field(default=None, max_length=300)
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    owner_id: uuid.UUID | None = Field(default=None, description="Defaults to you.")
    custom_fields: dict[Text, Any] = Field(default_factory=dict)

    _domain = field_validator("domain")(_domain)
    _tags = field_validator("tags")(normalise.tags)


class CompanyUpdate(CompanyBase):
    name: Text | None = Field(default=None, min_length=1, max_length=200)
    domain: Text | None = Field(default=None, max_length=300)
    tags: list[Tag] | None = Field(default=None, max_length=50)
    owner_id: uuid.UUID | None = None
    custom_fields: dict[Text, Any] | None = None

    _domain = field_validator("domain")(_domain)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        return normalise.tags(value) if value is not None else None


class CompanyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    domain: str | None
    industry: str | None
    size: str | None
    address: str | None
    tags: list[str]
    owner_id: uuid.UUID | None
    custom_fields: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


class CompanyPage(BaseModel):
    items: list[CompanyRead]
    next_cursor: str | None = None
