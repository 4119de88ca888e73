import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mancrel.contact.models import LifecycleStage
from mancrel.core import normalise
from mancrel.core.types import Tag, Text, UtcDateTime

EmailText = Annotated[Text, Field(max_length=320)]
PhoneText = Annotated[Text, Field(max_length=64)]


def _emails(values: list[str] | None) -> list[str] | None:
    return None if values is None else normalise.unique([normalise.email(v) for v in values if v.strip()])


def _phones(values: list[str] | None) -> list[str] | None:
    return None if values is None else normalise.unique([normalise.phone(v) for v in values if v.strip()])


def _tags(values: list[str] | None) -> list[str] | None:
    return None if values is None else normalise.tags(values)


class ContactFields(BaseModel):
    title: Text | None = Field(default=None, max_length=200)
    company_id: uuid.UUID | None = None
    source: Text | None = Field(default=None, max_length=100)
    whatsapp_id: Text | None = Field(default=None, max_length=64)
    messenger_psid: Text | None = Field(default=None, max_length=64)
    last_contacted_at: UtcDateTime | None = None


class ContactCreate(ContactFields):
    first_name: Text = Field(default="", max_length=100)
    last_name: Text = Field(default="", max_length=100)
    emails: list[EmailText] = Field(default_factory=list, max_length=20, description="Trimmed and lower-cased.")
    phones: list[PhoneText] = Field(default_factory=list, max_length=20, description="Stored as E.164.")
    lifecycle_stage: LifecycleStage = LifecycleStage.lead
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    owner_id: uuid.UUID | None = Field(default=None, description="Defaults to you.")
    custom_fields: dict[Text, Any] = Field(default_factory=dict)

    _emails = field_validator("emails")(_emails)
    _phones = field_validator("phones")(_phones)
    _tags = field_validator("tags")(_tags)


class ContactUpdate(ContactFields):
    first_name: Text | None = Field(default=None, max_length=100)
    last_name: Text | None = Field(default=None, max_length=100)
    emails: list[EmailText] | None = Field(default=None, max_length=20)
    phones: list[PhoneText] | None = Field(default=None, max_length=20)
    lifecycle_stage: LifecycleStage | None = None
    tags: list[Tag] | None = Field(default=None, max_length=50)
    owner_id: uuid.UUID | None = None
    custom_fields: dict[Text, Any] | None = Field(default=None, description="Merged in; null removes a key.")

    _emails = field_validator("emails")(_emails)
    _phones = field_validator("phones")(_phones)
    _tags = field_validator("tags")(_tags)


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    first_name: str
    last_name: str
    title: str | None
    emails: list[str]
    phones: list[str]
    company_id: uuid.UUID | None
    owner_id: uuid.UUID | None
    lifecycle_stage: LifecycleStage
    tags: list[str]
    source: str | None
    whatsapp_id: str | None
    messenger_psid: str | None
    last_contacted_at: datetime | None
    custom_fields: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


class ContactPage(BaseModel):
    items: list[ContactRead]
    next_cursor: str | None = None


class DuplicatePair(BaseModel):
    reason: str = Field(description="email, phone (WhatsApp ids count as phones) or name: what grouped them")
    value: str = Field(description="The email, phone (E.164) or full name both contacts have.")
    reasons: list[str] = Field(default_factory=list,
                               description="Every signal the two share: email, phone, name, company.")
    contacts: list[ContactRead]


class DuplicatePage(BaseModel):
    items: list[DuplicatePair]
    next_cursor: str | None = None


class MergeRequest(BaseModel):
    other_id: uuid.UUID = Field(description="The contact merged into this one (then deleted).")


class MergeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    primary_id: uuid.UUID
    merged_id: uuid.UUID
    moved: dict[str, list[str]]
    merged_by_id: uuid.UUID | None
    created_at: datetime
    undone_at: datetime | None


class MergeResult(BaseModel):
    merge: MergeRead
    contact: ContactRead
