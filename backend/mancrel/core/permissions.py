"""Roles and record visibility: the one mechanism every domain reuses.

Reps see and change records they own or that are unassigned; managers and admins see
all. A record someone cannot see answers 404 (its existence is not revealed); an action
their role does not allow answers 403.
"""

import uuid
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import ForeignKey, or_, true
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


def visible_filter(model: Any, actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause limiting `model` rows to those `actor` may see."""
    if actor.role in SEES_EVERYTHING:
        return true()
    return or_(model.owner_id == actor.id, model.owner_id.is_(None))


def can_see(record: Any, actor: Actor) -> bool:
    return actor.role in SEES_EVERYTHING or record.owner_id in (None, actor.id)


def can_assign_to(actor: Actor, owner_id: uuid.UUID | None) -> bool:
    """Reps may keep records for themselves or leave them unassigned, not hand them to others."""
    return actor.role in SEES_EVERYTHING or owner_id in (None, actor.id)
