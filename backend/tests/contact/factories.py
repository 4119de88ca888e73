"""Contact and company factories: rows written through the real services, as the API would."""

import itertools
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.company import service as company_service
from mancrel.company.models import Company
from mancrel.company.schemas import CompanyCreate
from mancrel.contact import service as contact_service
from mancrel.contact.models import Contact
from mancrel.contact.schemas import ContactCreate
from mancrel.core.permissions import Role
from mancrel.user.models import User

_sequence = itertools.count(1)
_UNSET: Any = object()


async def make_company(session: AsyncSession, *, actor: Any, owner: Any = _UNSET, **fields: Any) -> Company:
    """A company created by `actor`; owned by `owner` (default: the actor; None: unassigned)."""
    n = next(_sequence)
    fields.setdefault("name", f"Company {n}")
    fields.setdefault("domain", f"company{n}.example")
    owner_id = actor.id if owner is _UNSET else getattr(owner, "id", None)
    company = await company_service.create(session, data=CompanyCreate(**fields), actor=actor)
    if company.owner_id != owner_id:
        company.owner_id = owner_id
        await session.flush()
    return company


async def make_contact(session: AsyncSession, *, actor: Any, owner: Any = _UNSET, **fields: Any) -> Contact:
    n = next(_sequence)
    fields.setdefault("first_name", "Ada")
    fields.setdefault("last_name", f"Lovelace{n}")
    fields.setdefault("emails", [f"ada{n}@example.com"])
    owner_id = actor.id if owner is _UNSET else getattr(owner, "id", None)
    contact = await contact_service.create(session, data=ContactCreate(**fields), actor=actor)
    if contact.owner_id != owner_id:
        contact.owner_id = owner_id
        await session.flush()
    return contact


async def quick_user(session: AsyncSession, *, role: Role = Role.rep) -> User:
    """A real user row without password hashing (which dominates a big role matrix's run time).
    It cannot log in with a password; tests authenticate it with `auth_headers`."""
    n = next(_sequence)
    user = User(email=f"quick{n}@example.com", password_hash="!", full_name=f"Quick {n}", role=role)
    session.add(user)
    await session.flush()
    return user
