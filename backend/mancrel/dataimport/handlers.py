"""The contract between the import job and each record type's importer.

An importer is a module registered in `IMPORTERS` with:

- `FIELDS: list[str]`: the record fields a CSV column may be mapped to (plus `cf.<key>` for
  custom fields when `CUSTOM_FIELDS_OBJECT` names the object type);
- `async def import_row(session, *, values: dict[str, str], actor) -> RowResult`: create one
  record from one row's mapped values (empty cells already dropped). Raise `RowError` (or any
  `AppError`, e.g. a 422 from custom field validation) for a row that cannot be imported;
  return `RowResult.skipped(...)` for a duplicate. Each row runs in its own savepoint, so a
  failing row leaves nothing behind and the others carry on.
"""

import importlib
import uuid
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from mancrel.user import service as user_service

IMPORTERS: dict[str, str] = {
    "contacts": "mancrel.contact.importer",
    "companies": "mancrel.company.importer",
    "deals": "mancrel.deal.importer",
}


class RowError(Exception):
    """This row cannot be imported; the message is shown to the user beside its row number."""


@dataclass(frozen=True)
class RowResult:
    created: bool
    record_id: uuid.UUID | None = None
    message: str | None = None

    @classmethod
    def done(cls, record_id: uuid.UUID) -> "RowResult":
        return cls(created=True, record_id=record_id)

    @classmethod
    def skipped(cls, message: str, record_id: uuid.UUID | None = None) -> "RowResult":
        return cls(created=False, record_id=record_id, message=message)


def load_importer(object_type: str) -> ModuleType:
    return importlib.import_module(IMPORTERS[object_type])


def split_list(value: str) -> list[str]:
    """A cell holding several values: "a@x.com; b@y.com" or "a@x.com, b@y.com"."""
    separator = ";" if ";" in value else ","
    return [part.strip() for part in value.split(separator) if part.strip()]


def custom_values(values: dict[str, str]) -> dict[str, str]:
    return {k.removeprefix("cf."): v for k, v in values.items() if k.startswith("cf.")}


async def owner_id(session: Any, email: str | None, actor: Any) -> Any:
    """The owner a row names by email (the importer by default). Whether the importer may give
    records to that user is the record service's rule (reps: only themselves)."""
    if not email:
        return actor.id
    user = await user_service.get_by_email(session, email)
    if user is None or not user.is_active:
        raise RowError(f"owner_email: no active user {email!r}")
    return user.id
