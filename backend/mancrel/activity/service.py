"""Activities: log, plan, complete, delete and restore; a rep's task list. Flushes, never commits."""

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity.exceptions import ActivityNotDeleted, ActivityNotFound, InvalidActivity
from mancrel.activity.models import Activity, ActivityType
from mancrel.activity.repository import ActivityRepository
from mancrel.activity.schemas import ActivityCreate, ActivityUpdate, MyTasks
from mancrel.audit import service as audit_service
from mancrel.company import service as company_service
from mancrel.contact import service as contact_service
from mancrel.core.db import utcnow
from mancrel.core.errors import Forbidden, NotFound
from mancrel.core.permissions import Actor, can_assign_to
from mancrel.deal import service as deal_service
from mancrel.insights.profile_signal import request_refresh

LINKS = (("contact_id", contact_service), ("company_id", company_service), ("deal_id", deal_service))

# Logging one of these with a contact means the contact was reached (a note or a task does not).
CONTACT_MADE = {ActivityType.call, ActivityType.email, ActivityType.meeting}


async def get_visible(session: AsyncSession, activity_id: uuid.UUID, actor: Actor, *,
                      include_deleted: bool = False) -> Activity:
    activity = await ActivityRepository(session).get_visible(activity_id, actor, include_deleted=include_deleted)
    if activity is None:
        raise ActivityNotFound(f"No activity with id {activity_id}.")
    return activity


async def create(session: AsyncSession, *, data: ActivityCreate, actor: Any) -> Activity:
    values = data.model_dump()
    values["owner_id"] = data.owner_id or actor.id
    if data.assignee_id is None and data.type == ActivityType.task:
        values["assignee_id"] = actor.id
    values["occurred_at"] = data.occurred_at or data.due_at or utcnow()
    _check_people(actor, values["owner_id"], values["assignee_id"])
    await _check_links(session, actor, values)
    activity = Activity(id=uuid.uuid4(), **values)
    session.add(activity)
    await session.flush()
    await audit_service.record(session, actor=actor, action="activity.created", entity_type="activity",
                               entity_id=activity.id, after=audit_service.snapshot(activity))
    await _record_contact_made(session, activity)
    request_refresh(session, activity.contact_id)  # a logged call or note feeds the interest profile
    return activity


async def _record_contact_made(session: AsyncSession, activity: Activity) -> None:
    """Keep the contact's `last_contacted_at` current; a meeting still ahead has not happened yet."""
    happened_at = activity.done_at or activity.occurred_at
    if activity.contact_id and activity.type in CONTACT_MADE and happened_at <= utcnow():
        await contact_service.record_contact_made(session, contact_id=activity.contact_id, at=happened_at)


async def update(session: AsyncSession, *, activity: Activity, data: ActivityUpdate, actor: Any) -> Activity:
    changes = data.model_dump(exclude_unset=True)
    for required in ("type", "subject", "body", "occurred_at"):
        if required in changes and changes[required] is None:
            raise InvalidActivity(f"{required} cannot be empty.", errors=[{"field": required, "message": "required"}])
    if "owner_id" in changes or "assignee_id" in changes:
        _check_people(actor, changes.get("owner_id", activity.owner_id),
                      changes.get("assignee_id", activity.assignee_id), current=activity)
    await _check_links(session, actor, changes)
    before = audit_service.snapshot(activity)
    for field, value in changes.items():
        setattr(activity, field, value)
    await session.flush()
    action = "activity.completed" if changes.get("done_at") and before["done_at"] is None else "activity.updated"
    await _audit_change(session, actor, action, activity, before)
    await _record_contact_made(session, activity)
    return activity


async def delete(session: AsyncSession, *, activity: Activity, actor: Any) -> None:
    before = audit_service.snapshot(activity)
    activity.deleted_at = utcnow()
    await session.flush()
    await _audit_change(session, actor, "activity.deleted", activity, before)


async def restore(session: AsyncSession, *, activity: Activity, actor: Any) -> Activity:
    if activity.deleted_at is None:
        raise ActivityNotDeleted("This activity is not deleted.")
    before = audit_service.snapshot(activity)
    activity.deleted_at = None
    await session.flush()
    await _audit_change(session, actor, "activity.restored", activity, before)
    return activity


async def my_tasks(session: AsyncSession, *, actor: Actor, tz: str, limit: int) -> MyTasks:
    """Open tasks assigned to the caller: overdue (due before now), due later today (in `tz`),
    and upcoming (after today); at most `limit` each, soonest first."""
    now = utcnow()
    local_now = now.astimezone(ZoneInfo(tz))
    end_of_today = datetime.combine(local_now.date() + timedelta(days=1), datetime.min.time(), local_now.tzinfo)
    repo = ActivityRepository(session)
    return MyTasks(
        overdue=await repo.open_tasks(actor.id, due_from=None, due_before=now, limit=limit),
        today=await repo.open_tasks(actor.id, due_from=now, due_before=end_of_today, limit=limit),
        upcoming=await repo.open_tasks(actor.id, due_from=end_of_today, due_before=None, limit=limit),
    )


async def reassign_contact(session: AsyncSession, *, from_contact_id: uuid.UUID, to_contact_id: uuid.UUID,
                           actor: Actor | None = None) -> list[uuid.UUID]:
    """For a contact merge: move the activities of `from_contact_id` that `actor` may see (every one
    when no actor is given) to `to_contact_id`; returns their ids."""
    repo = ActivityRepository(session)
    ids = await repo.ids_for_contact(from_contact_id, actor)
    await repo.set_contact(ids, to_contact_id)
    return ids


async def hides_from(session: AsyncSession, *, contact_id: uuid.UUID, actor: Actor) -> bool:
    """Whether the contact has activities `actor` may not see (a merge by them must not take those)."""
    repo = ActivityRepository(session)
    return len(await repo.ids_for_contact(contact_id, actor)) != len(await repo.ids_for_contact(contact_id))


async def restore_contact(session: AsyncSession, *, ids: list[uuid.UUID], contact_id: uuid.UUID) -> None:
    """Undo of a merge: give these activities back to `contact_id`."""
    await ActivityRepository(session).set_contact(ids, contact_id)


def _check_people(actor: Actor, owner_id: uuid.UUID | None, assignee_id: uuid.UUID | None,
                  current: Activity | None = None) -> None:
    for field, value in (("owner_id", owner_id), ("assignee_id", assignee_id)):
        unchanged = current is not None and getattr(current, field) == value
        if not unchanged and not can_assign_to(actor, value):
            raise Forbidden("Reps may give activities to themselves or leave them unassigned.")


async def _check_links(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> None:
    """An activity may only be linked to records its author can see."""
    for field, service in LINKS:
        record_id = values.get(field)
        if record_id is None:
            continue
        try:
            await service.get_visible(session, record_id, actor)
        except NotFound as exc:
            raise InvalidActivity(f"No {field.removesuffix('_id')} with id {record_id}.",
                                  errors=[{"field": field, "message": "not found"}]) from exc


async def _audit_change(session: AsyncSession, actor: Any, action: str, activity: Activity, before: dict) -> None:
    old, new = audit_service.changed(before, audit_service.snapshot(activity))
    await audit_service.record(session, actor=actor, action=action, entity_type="activity",
                               entity_id=activity.id, before=old, after=new)


async def record_system_note(session: AsyncSession, *, subject: str, body: str, occurred_at: datetime,
                             owner_id: uuid.UUID | None, contact_id: uuid.UUID | None = None,
                             deal_id: uuid.UUID | None = None) -> Activity:
    """A note the system writes on records' timelines (a lead form's answers), with no acting
    user: the links were made by the system itself, so there is no visibility to check."""
    activity = Activity(id=uuid.uuid4(), type=ActivityType.note, subject=subject[:300], body=body,
                        occurred_at=occurred_at, owner_id=owner_id, contact_id=contact_id, deal_id=deal_id)
    session.add(activity)
    await session.flush()
    await audit_service.record(session, actor=None, action="activity.created", entity_type="activity",
                               entity_id=activity.id, after=audit_service.snapshot(activity))
    return activity
