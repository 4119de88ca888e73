"""Mechanics every CRM record shares: soft delete, optimistic concurrency and ETags.

A record's `version` is SQLAlchemy's version counter: every UPDATE bumps it and checks the
row still has the version the session read, so a concurrent write fails instead of being
lost. The API exposes the version as the `ETag`; a PATCH carrying a stale `If-Match`
answers 412 before anything is written.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import Header, Response
from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from mancrel.core.errors import PreconditionFailed


class SoftDeleteMixin:
    """`deleted_at`: a deleted record stays in the table (restorable) but leaves every list."""

    deleted_at: Mapped[datetime | None] = mapped_column(default=None, nullable=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class VersionedMixin:
    """An integer `version`, bumped by SQLAlchemy on every UPDATE of the row."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


class StaleRecord(PreconditionFailed):
    title = "The record changed since you read it"
    slug = "stale-record"


def etag(record: Any) -> str:
    return f'"{record.version}"'


IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description="The `ETag` you read; a stale one answers 412."),
]


def _tags(if_match: str) -> list[str]:
    # Weak validators ("W/") compare by value here: the version is the whole state.
    return [t.strip().removeprefix("W/").strip() for t in if_match.split(",") if t.strip()]


def check_if_match(if_match: str | None, record: Any) -> None:
    """Refuse a write based on an old read. No header means the client did not ask."""
    if if_match is None:
        return
    tags = _tags(if_match)
    if "*" in tags or etag(record) in tags:
        return
    raise StaleRecord(
        f"This record is at version {record.version}; reload it and apply your change again.",
        current_etag=etag(record),
    )


def set_etag(response: Response, record: Any) -> None:
    response.headers["ETag"] = etag(record)
