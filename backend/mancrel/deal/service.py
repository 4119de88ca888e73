"""Deals: create, edit, move through stages, win, lose, delete and restore. Flushes, never commits."""

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.audit import service as audit_service
from mancrel.core.db import utcnow
from mancrel.core.errors import Forbidden
from mancrel.core.permissions import Actor, can_assign_to
from mancrel.deal import line_items_repository, links
from mancrel.deal.exceptions import DealNotDeleted, DealNotFound, InvalidDeal
from mancrel.deal.models import Deal, DealStageChange, DealStatus
from mancrel.deal.ranking import rank_between
from mancrel.deal.repository import DealRepository
from mancrel.deal.schemas import DealCreate, DealUpdate
from mancrel.pipeline import service as pipeline_service
from mancrel.pipeline.models import Pipeline, PipelineStage, StageKind

STATUS_OF_KIND = {StageKind.open: DealStatus.open, StageKind.won: DealStatus.won, StageKind.lost: DealStatus.lost}


async def get(session: AsyncSession, deal_id: uuid.UUID) -> Deal | None:
    """Internal lookup without visibility (soft-deleted deals excluded)."""
    return await DealRepository(session).get(deal_id)


async def get_visible(session: AsyncSession, deal_id: uuid.UUID, actor: Actor, *,
                      include_deleted: bool = False) -> Deal:
    deal = await DealRepository(session).get_visible(deal_id, actor, include_deleted=include_deleted)
    if deal is None:
        raise DealNotFound(f"No deal with id {deal_id}.")
    return deal


async def create(session: AsyncSession, *, data: DealCreate, actor: Any) -> Deal:
    owner_id = data.owner_id or actor.id
    _check_assignable(actor, owner_id)
    pipeline, stage = await _placement(session, data.pipeline_id, data.stage_id)
    await links.check(session, actor=actor, contact_id=data.contact_id, company_id=data.company_id)
    custom = await links.validate_custom_fields(session, data.custom_fields)
    deal = Deal(id=uuid.uuid4(), title=data.title, contact_id=data.contact_id, company_id=data.company_id,
                pipeline_id=pipeline.id, stage_id=stage.id, currency=data.currency,
                amount=Decimal("0") if data.amount_from_line_items else data.amount,
                amount_from_line_items=data.amount_from_line_items,
                expected_close_date=data.expected_close_date, owner_id=owner_id, custom_fields=custom,
                status=STATUS_OF_KIND[stage.kind], stage_changed_at=utcnow())
    deal.rank = rank_between(*await DealRepository(session).neighbour_ranks(
        stage.id, actor, position=None, exclude=deal.id)) or 0
    if deal.status != DealStatus.open:
        deal.closed_at = deal.stage_changed_at
    session.add(deal)
    session.add(_history(deal, None, None, actor))
    await session.flush()
    await audit_service.record(session, actor=actor, action="deal.created", entity_type="deal",
                               entity_id=deal.id, after=audit_service.snapshot(deal))
    links.publish(session, "deal.created", deal)
    return deal


async def update(session: AsyncSession, *, deal: Deal, data: DealUpdate, actor: Any) -> Deal:
    changes = data.model_dump(exclude_unset=True)
    for required in ("title", "amount", "currency", "custom_fields"):
        if required in changes and changes[required] is None:
            raise InvalidDeal(f"{required} cannot be empty.", errors=[{"field": required, "message": "required"}])
    if "owner_id" in changes and changes["owner_id"] != deal.owner_id:
        _check_assignable(actor, changes["owner_id"])
    if "contact_id" in changes or "company_id" in changes:
        await links.check(session, actor=actor, contact_id=changes.get("contact_id"),
                          company_id=changes.get("company_id"))
    if "custom_fields" in changes:
        changes["custom_fields"] = await links.validate_custom_fields(
            session, changes["custom_fields"], current=deal.custom_fields)
    await _amount_rule(session, deal, changes)
    before = audit_service.snapshot(deal)
    for field, value in changes.items():
        setattr(deal, field, value)
    await session.flush()
    await _audit_change(session, actor, "deal.updated", deal, before)
    links.publish(session, "deal.updated", deal, previous_owner_id=uuid.UUID(before["owner_id"])
                  if before["owner_id"] else None)
    return deal


async def move(session: AsyncSession, *, deal: Deal, stage_id: uuid.UUID, position: int | None,
               actor: Any, lost_reason: str | None = None) -> Deal:
    """Put the deal in `stage_id` at `position` (among the cards `actor` sees); a Won or Lost
    stage closes the deal, an open stage reopens it. A stage change is recorded once."""
    stage = await pipeline_service.get_stage(session, stage_id)
    if stage is None or stage.pipeline_id != deal.pipeline_id:
        raise InvalidDeal("That stage is not in this deal's pipeline.",
                          errors=[{"field": "stage_id", "message": "not a stage of the deal's pipeline"}])
    before = audit_service.snapshot(deal)
    await _place(session, deal, stage.id, position, actor)
    status = STATUS_OF_KIND[stage.kind]
    if stage.id != deal.stage_id or status != deal.status:
        session.add(_history(deal, stage.id, status, actor))
        deal.stage_id, deal.stage_changed_at = stage.id, utcnow()
        _set_status(deal, status, lost_reason)
    await session.flush()
    await _audit_change(session, actor, "deal.moved", deal, before)
    links.publish(session, "deal.moved", deal, from_stage_id=before["stage_id"])
    return deal


async def mark_won(session: AsyncSession, *, deal: Deal, actor: Any) -> Deal:
    return await _close(session, deal=deal, kind=StageKind.won, reason=None, actor=actor)


async def mark_lost(session: AsyncSession, *, deal: Deal, reason: str, actor: Any) -> Deal:
    return await _close(session, deal=deal, kind=StageKind.lost, reason=reason, actor=actor)


async def delete(session: AsyncSession, *, deal: Deal, actor: Any) -> None:
    before = audit_service.snapshot(deal)
    deal.deleted_at = utcnow()
    await session.flush()
    await _audit_change(session, actor, "deal.deleted", deal, before)
    links.publish(session, "deal.deleted", deal)


async def restore(session: AsyncSession, *, deal: Deal, actor: Any) -> Deal:
    if deal.deleted_at is None:
        raise DealNotDeleted("This deal is not deleted.")
    before = audit_service.snapshot(deal)
    deal.deleted_at = None
    await session.flush()
    await _audit_change(session, actor, "deal.restored", deal, before)
    links.publish(session, "deal.updated", deal)
    return deal


async def stage_history(session: AsyncSession, *, deal: Deal) -> list[DealStageChange]:
    return await DealRepository(session).stage_changes(deal.id)


async def reassign_contact(session: AsyncSession, *, from_contact_id: uuid.UUID, to_contact_id: uuid.UUID,
                           actor: Actor | None = None) -> list[uuid.UUID]:
    """For a contact merge: move the deals of `from_contact_id` that `actor` may see (every one
    when no actor is given) to `to_contact_id`; returns their ids."""
    repo = DealRepository(session)
    ids = await repo.ids_for_contact(from_contact_id, actor)
    await repo.set_contact(ids, to_contact_id)
    return ids


async def hides_from(session: AsyncSession, *, contact_id: uuid.UUID, actor: Actor) -> bool:
    """Whether the contact has deals `actor` may not see (a merge by them must not take those)."""
    repo = DealRepository(session)
    return len(await repo.ids_for_contact(contact_id, actor)) != len(await repo.ids_for_contact(contact_id))


async def restore_contact(session: AsyncSession, *, ids: list[uuid.UUID], contact_id: uuid.UUID) -> None:
    """Undo of a merge: give these deals back to `contact_id`."""
    await DealRepository(session).set_contact(ids, contact_id)


async def _close(session: AsyncSession, *, deal: Deal, kind: StageKind, reason: str | None, actor: Any) -> Deal:
    pipeline = await pipeline_service.get_or_404(session, deal.pipeline_id)
    stage = next((s for s in pipeline.stages if s.kind == kind), None)
    if stage is not None:
        return await move(session, deal=deal, stage_id=stage.id, position=None, actor=actor, lost_reason=reason)
    # A pipeline without a Won/Lost stage still records the outcome, in place.
    before = audit_service.snapshot(deal)
    session.add(_history(deal, deal.stage_id, STATUS_OF_KIND[kind], actor))
    _set_status(deal, STATUS_OF_KIND[kind], reason)
    await session.flush()
    await _audit_change(session, actor, f"deal.{kind.value}", deal, before)
    links.publish(session, "deal.updated", deal)
    return deal


async def _amount_rule(session: AsyncSession, deal: Deal, changes: dict[str, Any]) -> None:
    """While the line items drive the amount, it is their total: typing one in is refused, and
    turning the option on (or changing the currency, which items must share) takes the total."""
    follows = changes.get("amount_from_line_items", deal.amount_from_line_items)
    if changes.get("amount_from_line_items") is None:
        changes.pop("amount_from_line_items", None)
    if not follows:
        return
    if "amount" in changes:
        raise InvalidDeal("The amount is the line items' total while amount_from_line_items is on.",
                          errors=[{"field": "amount", "message": "follows the line items"}])
    if changes.get("currency") not in (None, deal.currency) and await line_items_repository.LineItemRepository(
            session).total(deal.id):
        raise InvalidDeal("Line items are in the deal's currency: remove them before changing it.",
                          errors=[{"field": "currency", "message": "the line items use the current one"}])
    changes["amount"] = await line_items_repository.LineItemRepository(session).total(deal.id)


def _set_status(deal: Deal, status: DealStatus, lost_reason: str | None) -> None:
    if status != deal.status:
        deal.closed_at = None if status == DealStatus.open else utcnow()
    deal.status = status
    deal.lost_reason = lost_reason if status == DealStatus.lost else None


async def _place(session: AsyncSession, deal: Deal, stage_id: uuid.UUID, position: int | None, actor: Any) -> None:
    repo = DealRepository(session)
    rank = rank_between(*await repo.neighbour_ranks(stage_id, actor, position=position, exclude=deal.id))
    if rank is None:  # the gap is used up: respace this one stage, then there is room
        await repo.respace_stage(stage_id)
        rank = rank_between(*await repo.neighbour_ranks(stage_id, actor, position=position, exclude=deal.id))
    deal.rank = rank if rank is not None else 0


async def _placement(session: AsyncSession, pipeline_id: uuid.UUID | None,
                     stage_id: uuid.UUID | None) -> tuple[Pipeline, PipelineStage]:
    if pipeline_id is None and stage_id is not None:
        stage = await pipeline_service.get_stage(session, stage_id)
        pipeline_id = stage.pipeline_id if stage else None
    pipeline = (await pipeline_service.get(session, pipeline_id) if pipeline_id
                else await pipeline_service.get_default(session))
    if pipeline is None or not pipeline.stages:
        raise InvalidDeal("No such pipeline.", errors=[{"field": "pipeline_id", "message": "unknown pipeline"}])
    if stage_id is None:
        return pipeline, pipeline.stages[0]
    stage = next((s for s in pipeline.stages if s.id == stage_id), None)
    if stage is None:
        raise InvalidDeal("That stage is not in the pipeline.",
                          errors=[{"field": "stage_id", "message": "not a stage of the pipeline"}])
    return pipeline, stage


def _history(deal: Deal, to_stage_id: uuid.UUID | None, to_status: DealStatus | None, actor: Any) -> DealStageChange:
    """A stage change; with no target it records where the deal started (created or imported)."""
    if to_stage_id is None:
        return DealStageChange(deal_id=deal.id, from_stage_id=None, to_stage_id=deal.stage_id, from_status=None,
                               to_status=deal.status, changed_by_id=getattr(actor, "id", None))
    return DealStageChange(deal_id=deal.id, from_stage_id=deal.stage_id, to_stage_id=to_stage_id,
                           from_status=deal.status, to_status=to_status or deal.status,
                           changed_by_id=getattr(actor, "id", None))


def _check_assignable(actor: Any, owner_id: uuid.UUID | None) -> None:
    if not can_assign_to(actor, owner_id):
        raise Forbidden("Reps may keep deals for themselves or leave them unassigned.")


async def _audit_change(session: AsyncSession, actor: Any, action: str, deal: Deal, before: dict) -> None:
    old, new = audit_service.changed(before, audit_service.snapshot(deal))
    await audit_service.record(session, actor=actor, action=action, entity_type="deal", entity_id=deal.id,
                               before=old, after=new)


async def find_duplicate(session: AsyncSession, *, title: str, pipeline_id: uuid.UUID,
                         contact_id: uuid.UUID | None, company_id: uuid.UUID | None) -> Deal | None:
    """A live deal with this title on the same contact and company in the pipeline (for imports)."""
    return await DealRepository(session).find_same(title=title, pipeline_id=pipeline_id, contact_id=contact_id,
                                                   company_id=company_id)



async def oldest(session: AsyncSession, *, limit: int) -> list[Deal]:
    """The first `limit` live deals by creation (demo seeding and small internal jobs)."""
    return await DealRepository(session).oldest(limit)


# --- deals the system makes for a record of an outside source (a Meta lead) ---------------
async def find_by_source(session: AsyncSession, *, source: str, source_ref: str) -> Deal | None:
    """The deal made for this source record (deleted ones too), after waiting for any transaction
    making it right now: a caller that finds none may create it before its transaction ends."""
    repository = DealRepository(session)
    await repository.lock_source(source, source_ref)
    return await repository.by_source(source, source_ref)


async def create_from_source(session: AsyncSession, *, title: str, contact_id: uuid.UUID | None,
                             pipeline_id: uuid.UUID | None, stage_id: uuid.UUID | None, owner_id: uuid.UUID | None,
                             source: str, source_ref: str, source_details: dict[str, Any]) -> Deal:
    """A deal made by the system (no acting user, no role checks), last in its stage.
    Call `find_by_source` first in the same transaction: the unique index refuses a second one."""
    pipeline, stage = await _placement(session, pipeline_id, stage_id)
    deal = Deal(id=uuid.uuid4(), title=title[:300], contact_id=contact_id, pipeline_id=pipeline.id,
                stage_id=stage.id, owner_id=owner_id, custom_fields={}, status=STATUS_OF_KIND[stage.kind],
                stage_changed_at=utcnow(), source=source, source_ref=source_ref, source_details=source_details)
    deal.rank = rank_between(await DealRepository(session).last_rank(stage.id), None) or 0
    if deal.status != DealStatus.open:
        deal.closed_at = deal.stage_changed_at
    session.add(deal)
    session.add(_history(deal, None, None, None))
    await session.flush()
    await audit_service.record(session, actor=None, action="deal.created", entity_type="deal",
                               entity_id=deal.id, after=audit_service.snapshot(deal))
    links.publish(session, "deal.created", deal)
    return deal
