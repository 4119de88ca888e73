import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mancrel.core.types import Int32, Text
from mancrel.customfield.models import FieldType, ObjectType

Option = Annotated[Text, Field(min_length=1, max_length=200)]


class CustomFieldCreate(BaseModel):
    object_type: ObjectType
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$", description="Stable name in the API and filters.")
    label: Text = Field(min_length=1, max_length=200)
    field_type: FieldType
    options: list[Option] = Field(default_factory=list, max_length=200, description="The choices of a select.")
    required: bool = False
    position: Int32 = 0

    @model_validator(mode="after")
    def _options_for_select(self) -> "CustomFieldCreate":
        if self.field_type == FieldType.select and not self.options:
            raise ValueError("a select field needs options")
        if self.field_type != FieldType.select and self.options:
            raise ValueError("only select fields have options")
        return self


class CustomFieldUpdate(BaseModel):
    label: Text | None = Field(default=None, min_length=1, max_length=200)
    options: list[Option] | None = Field(default=None, max_length=200)
    required: bool | None = None
    position: Int32 | None = None


class CustomFieldRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    object_type: ObjectType
    key: str
    label: str
    field_type: FieldType
    options: list[Any]
    required: bool
    position: int
    created_at: datetime


class CustomFieldPage(BaseModel):
    items: list[CustomFieldRead]
    next_cursor: str | None = None
