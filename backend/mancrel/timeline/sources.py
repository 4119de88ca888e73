"""What a timeline is made of. Each source gives, for one record, the (at, id) of its
entries the caller may see; the timeline merges the sources newest first.

The seam for later kinds: the inbox registers a "message" source here (its query and its
loader) and its entries appear in every timeline with no change to this package.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity.models import Activity
from mancrel.activity.schemas import ActivityRead
from mancrel.core.permissions import Actor, visible_filter
from mancrel.deal.models import Deal, DealStageChange
from mancrel.deal.schemas import StageChangeRead
from mancrel.reply.task_links import conversations_of_tasks

EntityType = str  # "contact" | "company" | "deal"
Query = Callable[[EntityType, uuid.UUID, Actor], Select | None]
Loader = Callable[[AsyncSession, list[uuid.UUID]], Awaitable[dict[uuid.UUID, Any]]]


@dataclass(frozen=True)
class Source:
    kind: str
    query: Query  # selects two columns, `at` and `id`; None when the kind has no entries for the entity
    load: Loader  # the entries' API shapes by id


SOURCES: list[Source] = []


def register(source: Source) -> None:
    SOURCES.append(source)


def _activities(entity_type: EntityType, entity_id: uuid.UUID, actor: Actor) -> Select:
    column = {"contact": Activity.contact_id, "company": Activity.company_id, "deal": Activity.deal_id}[entity_type]
    return (select(Activity.occurred_at.label("at"), Activity.id.label("id"))
            .where(column == entity_id, Activity.deleted_at.is_(None), visible_filter(Activity, actor)))


async def _load_activities(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    rows = list(await session.scalars(select(Activity).where(Activity.id.in_(ids))))
    # An escalation's or failed reply's task links to its conversation here too, as in My tasks.
    links = await conversations_of_tasks(session, [a.id for a in rows if a.type == "task"])
    return {a.id: ActivityRead.model_validate(a).model_copy(update={"conversation_id": links.get(a.id)}) for a in rows}


def _stage_changes(entity_type: EntityType, entity_id: uuid.UUID, actor: Actor) -> Select:
    deal_column = {"contact": Deal.contact_id, "company": Deal.company_id, "deal": Deal.id}[entity_type]
    return (select(DealStageChange.changed_at.label("at"), DealStageChange.id.label("id"))
            .join(Deal, Deal.id == DealStageChange.deal_id)
            .where(deal_column == entity_id, Deal.deleted_at.is_(None), visible_filter(Deal, actor)))


async def _load_stage_changes(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    # Named by its deal: a contact's or company's timeline mixes several deals' moves.
    rows = await session.execute(select(DealStageChange, Deal.title).join(Deal, Deal.id == DealStageChange.deal_id)
                                 .where(DealStageChange.id.in_(ids)))
    return {c.id: StageChangeRead.model_validate(c).model_copy(update={"deal_title": title}) for c, title in rows}


register(Source(kind="activity", query=_activities, load=_load_activities))
register(Source(kind="stage_change", query=_stage_changes, load=_load_stage_changes))
