"""What a deal refers to in other domains: contacts, companies, custom fields, live events, search."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel import events
from mancrel.company import service as company_service
from mancrel.contact import service as contact_service
from mancrel.core.errors import NotFound
from mancrel.customfield import service as customfield_service
from mancrel.deal.exceptions import InvalidDeal
from mancrel.deal.models import Deal
from mancrel.insights.profile_signal import request_refresh
from mancrel.worker.outbox import enqueue


async def check(session: AsyncSession, *, actor: Any, contact_id: uuid.UUID | None,
                company_id: uuid.UUID | None) -> None:
    """A deal may only point at a contact and company its author can see."""
    for field, record_id, service in (("contact_id", contact_id, contact_service),
                                      ("company_id", company_id, company_service)):
        if record_id is None:
            continue
        try:
            await service.get_visible(session, record_id, actor)
        except NotFound as exc:
            raise InvalidDeal(f"No {field.removesuffix('_id')} with id {record_id}.",
                              errors=[{"field": field, "message": "not found"}]) from exc


async def validate_custom_fields(session: AsyncSession, values: dict[str, Any],
                                 current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validated values to store; with `current`, `values` are changes merged into it."""
    if current is None:
        return await customfield_service.validate_values(session, object_type="deal", values=values)
    changes = await customfield_service.validate_values(session, object_type="deal", values=values, partial=True)
    return customfield_service.merge_values(current, changes)


def publish(session: AsyncSession, topic: str, deal: Deal, *, previous_owner_id: uuid.UUID | None = None,
            **facts: Any) -> None:
    """Tell browsers showing the board (after commit); they refetch through the API.

    The audience is the deal's owner (plus managers and admins), or everyone when unassigned;
    a deal handed to someone else is also announced to its former owner, whose board drops it.
    """
    payload = {"deal_id": str(deal.id), "pipeline_id": str(deal.pipeline_id), "stage_id": str(deal.stage_id),
               "status": deal.status.value, "version": deal.version, "deleted": deal.deleted_at is not None,
               **{k: str(v) if v is not None else None for k, v in facts.items()}}
    events.publish_after_commit(session, topic, payload, audience=deal.owner_id)
    request_refresh(session, deal.contact_id)  # quoted and bought products shape recommendations
    # Every change of a deal passes here, so global search follows it (title, owner, deletion).
    enqueue(session, "ai.embed_deal", deal_id=deal.id)
    if previous_owner_id is not None and previous_owner_id != deal.owner_id:
        events.publish_after_commit(session, topic, payload, audience=previous_owner_id)
