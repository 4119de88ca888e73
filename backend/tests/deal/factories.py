"""Deal factories: rows written through the real service, as the API would."""

import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.company.models import Company
from mancrel.contact.models import Contact
from mancrel.deal import service as deal_service
from mancrel.deal.models import Deal
from mancrel.deal.schemas import DealCreate
from mancrel.pipeline import service as pipeline_service
from mancrel.pipeline.models import Pipeline, PipelineStage

_sequence = itertools.count(1)
_UNSET: Any = object()


async def sales_pipeline(session: AsyncSession) -> Pipeline:
    pipeline = await pipeline_service.get_default(session)
    assert pipeline is not None and pipeline.name == "Sales"
    return pipeline


async def stage_named(session: AsyncSession, name: str) -> PipelineStage:
    pipeline = await sales_pipeline(session)
    return next(s for s in pipeline.stages if s.name == name)


async def make_deal(session: AsyncSession, *, actor: Any, owner: Any = _UNSET, stage: str = "New",
                    amount: str = "1000.00", currency: str = "EUR", **fields: Any) -> Deal:
    """A deal created by `actor`; owned by `owner` (default: the actor; None: unassigned)."""
    owner_id = actor.id if owner is _UNSET else (owner.id if owner is not None else None)
    target = await stage_named(session, stage)
    data = DealCreate(title=fields.pop("title", f"Deal {next(_sequence)}"), stage_id=target.id,
                      amount=Decimal(amount), currency=currency, **fields)
    deal = await deal_service.create(session, data=data, actor=actor)
    if owner_id != deal.owner_id:  # created by a manager for someone else, or left unassigned
        deal.owner_id = owner_id
        await session.flush()
    return deal


async def make_contact(session: AsyncSession, *, owner: Any = None, first_name: str = "Ada",
                       last_name: str = "Lovelace", company: Any = None) -> Contact:
    """A contact row (the contacts domain's own rules are tested there)."""
    contact = Contact(first_name=first_name, last_name=last_name, owner_id=getattr(owner, "id", None),
                      company_id=getattr(company, "id", None), emails=[f"c{next(_sequence)}@example.com"])
    session.add(contact)
    await session.flush()
    return contact


async def make_company(session: AsyncSession, *, owner: Any = None, name: str = "Acme Tools") -> Company:
    company = Company(name=name, owner_id=getattr(owner, "id", None), domain=f"acme{next(_sequence)}.example")
    session.add(company)
    await session.flush()
    return company
