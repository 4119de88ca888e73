"""Company use cases. Flushes, never commits."""

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.company.exceptions import CompanyNotFound, DomainTaken
from mancrel.company.models import Company
from mancrel.company.repository import CompanyRepository
from mancrel.company.schemas import CompanyCreate, CompanyUpdate
from mancrel.core.db import utcnow
from mancrel.core.errors import Forbidden
from mancrel.core.listing import Sort
from mancrel.core.permissions import Actor, can_assign_to
from mancrel.core.record_filters import RecordFilters
from mancrel.customfield import service as customfield_service
from mancrel.worker.outbox import enqueue


def _check_owner(actor: Actor, owner_id: uuid.UUID | None) -> None:
    if not can_assign_to(actor, owner_id):
        raise Forbidden("Reps can keep records for themselves or leave them unassigned, not assign them to others.")


async def _check_domain(session: AsyncSession, domain: str | None, *, exclude_id: uuid.UUID | None = None) -> None:
    if domain is None:
        return
    existing = await CompanyRepository(session).get_by_domain(domain, exclude_id=exclude_id)
    if existing is not None:
        raise DomainTaken(f"{existing.name} already has the domain {domain}.", existing_id=str(existing.id))


async def _flush_unique(session: AsyncSession, domain: str | None) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent write took the domain
        raise DomainTaken(f"Another company has the domain {domain}.") from exc


async def create(session: AsyncSession, *, data: CompanyCreate, actor: Actor) -> Company:
    owner_id = data.owner_id if "owner_id" in data.model_fields_set else actor.id
    _check_owner(actor, owner_id)
    await _check_domain(session, data.domain)
    custom = await customfield_service.validate_values(session, object_type="company", values=data.custom_fields)
    company = Company(**data.model_dump(exclude={"owner_id", "custom_fields"}), owner_id=owner_id,
                      custom_fields=custom)
    session.add(company)
    await _flush_unique(session, data.domain)
    await audit_service.record(session, actor=actor, action="company.created", entity_type="company",
                               entity_id=company.id, after=audit_service.snapshot(company))
    enqueue(session, "ai.embed_company", company_id=company.id)  # global search follows the record
    return company


async def update(session: AsyncSession, *, company: Company, data: CompanyUpdate, actor: Actor) -> Company:
    changes = data.model_dump(exclude_unset=True)
    if "owner_id" in changes:
        _check_owner(actor, changes["owner_id"])
    if "name" in changes and changes["name"] is None:
        del changes["name"]
    if changes.get("domain") and changes["domain"] != company.domain:
        await _check_domain(session, changes["domain"], exclude_id=company.id)
    if changes.get("custom_fields") is not None:
        values = await customfield_service.validate_values(session, object_type="company",
                                                           values=changes["custom_fields"], partial=True)
        changes["custom_fields"] = customfield_service.merge_values(company.custom_fields, values)
    elif "custom_fields" in changes:
        del changes["custom_fields"]
    if "tags" in changes and changes["tags"] is None:
        changes["tags"] = []
    before = audit_service.snapshot(company)
    for name, value in changes.items():
        setattr(company, name, value)
    await _flush_unique(session, company.domain)
    old, new = audit_service.changed(before, audit_service.snapshot(company))
    if new:
        await audit_service.record(session, actor=actor, action="company.updated", entity_type="company",
                                   entity_id=company.id, before=old, after=new)
        enqueue(session, "ai.embed_company", company_id=company.id)
    return company


async def delete(session: AsyncSession, *, company: Company, actor: Actor) -> None:
    company.deleted_at = utcnow()
    await session.flush()
    await audit_service.record(session, actor=actor, action="company.deleted", entity_type="company",
                               entity_id=company.id, before={"deleted_at": None},
                               after={"deleted_at": company.deleted_at})
    enqueue(session, "ai.embed_company", company_id=company.id)


async def restore(session: AsyncSession, *, company: Company, actor: Actor) -> Company:
    await _check_domain(session, company.domain, exclude_id=company.id)
    deleted_at = company.deleted_at
    company.deleted_at = None
    await _flush_unique(session, company.domain)
    await audit_service.record(session, actor=actor, action="company.restored", entity_type="company",
                               entity_id=company.id, before={"deleted_at": deleted_at}, after={"deleted_at": None})
    enqueue(session, "ai.embed_company", company_id=company.id)
    return company


async def get(session: AsyncSession, company_id: uuid.UUID) -> Company | None:
    """Internal lookup: no visibility, deleted companies included."""
    return await CompanyRepository(session).get(company_id)


async def get_visible(session: AsyncSession, company_id: uuid.UUID, actor: Actor) -> Company:
    """A live company `actor` may see, else CompanyNotFound (404: existence not revealed)."""
    company = await CompanyRepository(session).get_visible(company_id, actor)
    if company is None:
        raise CompanyNotFound(f"No company with id {company_id}.")
    return company


async def get_deleted_visible(session: AsyncSession, company_id: uuid.UUID, actor: Actor) -> Company:
    company = await CompanyRepository(session).get_visible(company_id, actor, deleted=True)
    if company is None:
        raise CompanyNotFound(f"No deleted company with id {company_id}.")
    return company


async def list_page(session: AsyncSession, *, actor: Actor, filters: RecordFilters, sort: Sort, limit: int,
                    cursor: str | None, deleted: bool = False) -> list[Company]:
    custom = await _custom_filters(session, filters)
    return await CompanyRepository(session).list_page(actor, filters, custom, sort=sort, limit=limit,
                                                      cursor=cursor, deleted=deleted)


async def _custom_filters(session: AsyncSession, filters: RecordFilters) -> dict[str, Any]:
    return await customfield_service.parse_filters(session, object_type="company", params=filters.custom)


async def find_for_import(session: AsyncSession, *, name: str | None, domain: str | None,
                          actor: Actor) -> Company | None:
    """A live company `actor` sees with this domain (normalised) or, failing that, this exact name."""
    return await CompanyRepository(session).find_visible(name=name, domain=domain, actor=actor)
