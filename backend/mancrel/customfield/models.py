from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Enum, Integer, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey


class ObjectType(StrEnum):
    contact = "contact"
    company = "company"
    deal = "deal"


class FieldType(StrEnum):
    text = "text"
    number = "number"
    date = "date"
    boolean = "boolean"
    select = "select"


class CustomField(UUIDPrimaryKey, Timestamps, Base):
    """An admin-defined field; its values live in the record's `custom_fields` under `key`."""

    __tablename__ = "custom_fields"
    __table_args__ = (UniqueConstraint("object_type", "key", name="uq_custom_fields_object_type_key"),)

    object_type: Mapped[ObjectType] = mapped_column(Enum(ObjectType, name="custom_field_object"))
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    field_type: Mapped[FieldType] = mapped_column(Enum(FieldType, name="custom_field_type"))
    options: Mapped[list[Any]] = mapped_column(JSONB, default=list, server_default=text("'[]'::jsonb"))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
