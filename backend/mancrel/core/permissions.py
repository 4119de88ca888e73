"""Roles and record visibility: the one mechanism every domain reuses.

Reps see and change records they own or that are unassigned; managers and admins see
all. A record someone cannot see answers 404 (its existence is not revealed); an action
their role does not allow answers 403.

Some records name more than one person, or take their owner from a record they point at.
Their rule is declared here, in `RULES` (by table name), so that every query of them, in
any domain, applies it through `visible_filter` and no domain writes its own copy:

- activities: the rep who logged it or who must do it; open to all when it names nobody;
- conversations: the owner of the conversation's contact or its assignee; open to all when
  the contact is unassigned (or there is no contact);
- imports: only the rep who started it.

Stores that cannot run SQL (Qdrant payload filters, event audiences) and tables that keep
an owner key with a sentinel for "nobody" use `visible_owner_values` instead.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import ForeignKey, and_, false, or_, select, true
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.sql.elements import ColumnElement


class Role(StrEnum):
    admin = "admin"
    manager = "manager"
    rep = "rep"


class Actor(Protocol):
    id: uuid.UUID
    role: Role


SEES_EVERYTHING = {Role.admin, Role.manager}


class OwnedMixin:
    """An `owner_id` column; records with an owner are subject to rep visibility."""

    @declared_attr
    def owner_id(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True, nullable=True)


@dataclass(frozen=True)
class RelatedOwner:
    """The `owner_id` of the row that `foreign_key` points at in `table` (a conversation's contact)."""

    foreign_key: str
    table: str


Holder = str | RelatedOwner


@dataclass(frozen=True)
class Rule:
    """A rep sees a row when any of `holders` names them, or when every one of `open_when_empty`
    is empty (nobody's record). Holders are column names or the owner of a related row."""

    holders: tuple[Holder, ...] = ("owner_id",)
    open_when_empty: tuple[Holder, ...] = ("owner_id",)


OWNER_RULE = Rule()
_CONTACT_OWNER = RelatedOwner("contact_id", "contacts")
RULES: dict[str, Rule] = {
    "activities": Rule(holders=("owner_id", "assignee_id"), open_when_empty=("owner_id", "assignee_id")),
    "conversations": Rule(holders=(_CONTACT_OWNER, "assignee_id"), open_when_empty=(_CONTACT_OWNER,)),
    "imports": Rule(holders=("created_by_id",), open_when_empty=()),
}


def _table_name(model: Any) -> str | None:
    table = getattr(model, "__table__", None)
    return getattr(model, "__tablename__", None) or getattr(table, "name", None)


def rule_of(model: Any) -> Rule:
    return RULES.get(_table_name(model) or "", OWNER_RULE)


def _column(model: Any, holder: Holder) -> ColumnElement[Any]:
    if isinstance(holder, str):
        return getattr(model, holder)
    related = model.metadata.tables[holder.table]
    return (select(related.c.owner_id).where(related.c.id == getattr(model, holder.foreign_key))
            .scalar_subquery())


def visible_filter(model: Any, actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause limiting `model` rows to those `actor` may see (the model's rule)."""
    if actor.role in SEES_EVERYTHING:
        return true()
    rule = rule_of(model)
    named = [_column(model, h) == actor.id for h in rule.holders]
    empty = [_column(model, h).is_(None) for h in rule.open_when_empty]
    return or_(*named, and_(*empty) if empty else false())


def can_see(record: Any, actor: Actor, *, related: Mapping[RelatedOwner, uuid.UUID | None] | None = None,
            model: Any = None) -> bool:
    """The rule of `model` (default: the record's own class) on a loaded row. The owners of
    related rows a rule names come in `related`."""
    if actor.role in SEES_EVERYTHING:
        return True
    rule = rule_of(model if model is not None else type(record))

    def value(holder: Holder) -> Any:
        return getattr(record, holder) if isinstance(holder, str) else (related or {})[holder]

    if any(value(h) == actor.id for h in rule.holders):
        return True
    return bool(rule.open_when_empty) and all(value(h) is None for h in rule.open_when_empty)


def visible_owner_values(actor: Actor, *, nobody: Any = None) -> list[Any] | None:
    """The owner values a rep may see under the owner rule, `nobody` standing for "unassigned"
    (a sentinel where a store cannot hold null); None when the actor sees everything."""
    return None if actor.role in SEES_EVERYTHING else [actor.id, nobody]


def can_assign_to(actor: Actor, owner_id: uuid.UUID | None) -> bool:
    """Reps may keep records for themselves or leave them unassigned, not hand them to others."""
    return actor.role in SEES_EVERYTHING or owner_id in (None, actor.id)
