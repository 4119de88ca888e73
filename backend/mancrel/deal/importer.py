"""CSV rows -> deals (see mancrel.dataimport.handlers for the contract).

A row names its pipeline and stage by name, its owner by email, its contact by email and
its company by domain or name; a deal with the same title on the same contact or company
in the same pipeline is a duplicate and skipped.
"""

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.company import service as company_service
from mancrel.contact import service as contact_service
from mancrel.contact.exceptions import DuplicateContact
from mancrel.core.errors import NotFound
from mancrel.dataimport.handlers import RowError, RowResult, custom_values
from mancrel.deal import service as deal_service
from mancrel.deal.schemas import DealCreate
from mancrel.pipeline import service as pipeline_service
from mancrel.pipeline.models import Pipeline
from mancrel.user import service as user_service

FIELDS = ["title", "amount", "currency", "expected_close_date", "pipeline", "stage", "owner_email",
          "contact_email", "company", "lost_reason"]
CUSTOM_FIELDS_OBJECT = "deal"


async def import_row(session: AsyncSession, *, values: dict[str, str], actor: Any) -> RowResult:
    pipeline = await _pipeline(session, values.get("pipeline"))
    fields: dict[str, Any] = {k: values[k] for k in ("title", "amount", "currency", "expected_close_date")
                              if k in values}
    fields["pipeline_id"] = pipeline.id
    fields["stage_id"] = _stage_id(pipeline, values.get("stage"))
    fields["owner_id"] = await _owner_id(session, values.get("owner_email"), actor)
    fields["contact_id"] = await _contact_id(session, values.get("contact_email"), actor)
    fields["company_id"] = await _company_id(session, values.get("company"), actor)
    try:
        data = DealCreate(**fields, custom_fields=custom_values(values))
    except ValidationError as exc:
        error = exc.errors()[0]
        raise RowError(f"{'.'.join(map(str, error['loc']))}: {error['msg']}") from exc
    existing = await deal_service.find_duplicate(session, title=data.title, pipeline_id=pipeline.id,
                                                 contact_id=data.contact_id, company_id=data.company_id)
    if existing is not None:
        return RowResult.skipped(f"duplicate of deal {existing.id} ({data.title!r})", existing.id)
    deal = await deal_service.create(session, data=data, actor=actor)
    if values.get("lost_reason") and deal.status == "lost":
        deal.lost_reason = values["lost_reason"]
    return RowResult.done(deal.id)


async def _pipeline(session: AsyncSession, name: str | None) -> Pipeline:
    pipelines = await pipeline_service.list_pipelines(session)
    if not name:
        return next((p for p in pipelines if p.is_default), pipelines[0])
    match = next((p for p in pipelines if p.name.casefold() == name.strip().casefold()), None)
    if match is None:
        raise RowError(f"pipeline: no pipeline named {name!r}")
    return match


def _stage_id(pipeline: Pipeline, name: str | None) -> Any:
    if not name:
        return pipeline.stages[0].id
    match = next((s for s in pipeline.stages if s.name.casefold() == name.strip().casefold()), None)
    if match is None:
        raise RowError(f"stage: no stage named {name!r} in {pipeline.name!r}")
    return match.id


async def _owner_id(session: AsyncSession, email: str | None, actor: Any) -> Any:
    if not email:
        return actor.id
    user = await user_service.get_by_email(session, email)
    if user is None or not user.is_active:
        raise RowError(f"owner_email: no active user {email!r}")
    return user.id


async def _contact_id(session: AsyncSession, email: str | None, actor: Any) -> Any:
    if not email:
        return None
    try:  # the contacts domain's duplicate check is its lookup by email
        await contact_service.check_duplicate(session, emails=[email.strip().lower()], phones=[])
    except DuplicateContact as found:
        try:
            return (await contact_service.get_visible(session, uuid.UUID(found.extra["existing_id"]), actor)).id
        except NotFound:
            pass
    raise RowError(f"contact_email: no contact you can see has {email!r}")


async def _company_id(session: AsyncSession, company: str | None, actor: Any) -> Any:
    if not company:
        return None
    value = company.strip()
    found = await company_service.find_for_import(session, name=value, domain=value if "." in value else None,
                                                  actor=actor)
    if found is None:
        raise RowError(f"company: no company you can see named {value!r}")
    return found.id
