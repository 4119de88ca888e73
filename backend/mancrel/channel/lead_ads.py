"""Meta Lead Ads: `channel.fetch_lead` turns a stored `leadgen` change into a contact, a deal and a note.

Meta's webhook only says that a lead exists (leadgen_id, form_id, page_id, ad_id); the answers are
fetched from the Graph API (`GET /{leadgen_id}?fields=...` with the page's access token), then:
- the contact: found by any email or phone it gave (whoever owns it, so a known customer is not
  duplicated; it gains the identities it lacked), else created with the channel's owner;
- the deal: in the channel's pipeline and stage, with the form, ad and campaign ids as its
  `source_details`; one per leadgen id (a unique index), however often the job runs;
- a note on the contact's and the deal's timeline with every answer; answers to questions that
  match a contact custom field (by key) fill that field instead of only the note.

Failures: Meta down or slow (5xx, 429, a timeout, its "temporary" error codes) retries with
backoff, then dead-letters; the dead letter replays once Meta answers. A refused access token is
recorded on the channel's health (an admin must paste a new one) and dead-lettered at once:
retrying cannot fix it.
"""

import json
import logging
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from celery import current_task
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity import service as activity_service
from mancrel.channel import graph
from mancrel.channel.models import Channel, InboundEvent, InboundStatus
from mancrel.channel.repository import ChannelRepository, InboundEventRepository
from mancrel.channel.service import secrets_of
from mancrel.contact import service as contact_service
from mancrel.contact.models import Contact
from mancrel.core import normalise
from mancrel.core.db import unit_of_work, utcnow
from mancrel.customfield import service as customfield_service
from mancrel.customfield.exceptions import InvalidCustomFieldValue
from mancrel.deal import service as deal_service
from mancrel.deal.exceptions import InvalidDeal
from mancrel.pipeline import service as pipeline_service
from mancrel.worker.errors import PermanentError, TransientError
from mancrel.worker.task import job

logger = logging.getLogger("mancrel.channel.lead_ads")

SOURCE = "lead_ads"
LEAD_FIELDS = ("id", "created_time", "field_data", "form_id", "ad_id", "ad_name", "adset_id", "adset_name",
               "campaign_id", "campaign_name", "is_organic", "platform")
# About 20 minutes of Meta being unreachable before the dead letters (waits 5 s, 10 s, ... 5 min).
# The base can be shortened by the environment, for tests that exhaust the retries in seconds.
FETCH_RETRIES = 8
RETRY_BASE = float(os.environ.get("MANCREL_LEAD_FETCH_RETRY_BASE", "5"))
# Graph error codes Meta documents as passing (unknown and temporary errors, rate limits), which
# it may send with a 400; graph.py already counts 5xx, 429 and `is_transient` as passing.
TRANSIENT_CODES = {1, 2, 4, 17, 32, 341, 613, 80001, 80004}
# Besides a refused token (graph.py: 401 or code 190): the token lacks a permission (leads_retrieval).
PERMISSION_CODES = {10} | set(range(200, 300))
NUMERIC_ID = re.compile(r"^[0-9]{1,64}$")

EMAIL_KEYS = ("email", "work_email")
PHONE_KEYS = ("phone_number", "work_phone_number", "phone")
NAME_KEYS = ("full_name", "first_name", "last_name")


def _transient(exc: graph.GraphError) -> bool:
    return exc.transient or exc.code in TRANSIENT_CODES


def _token_refused(exc: graph.GraphError) -> bool:
    return exc.token_rejected or exc.code in PERMISSION_CODES


# --- the Graph API -------------------------------------------------------------------------
async def fetch(base_url: str, token: str, leadgen_id: str, form_id: str | None) -> tuple[dict, str | None]:
    """The lead, and its form's name when Meta tells it (the name only labels the deal: a failure
    to read it is no reason to lose the lead)."""
    lead = await graph.call("GET", base_url, leadgen_id, token=token, params={"fields": ",".join(LEAD_FIELDS)})
    form_id = str(lead.get("form_id") or form_id or "")
    if not NUMERIC_ID.match(form_id):
        return lead, None
    try:
        form = await graph.call("GET", base_url, form_id, token=token, params={"fields": "id,name"})
    except graph.GraphError as exc:
        logger.info("lead form name not read", extra={"form_id": form_id, "error": str(exc)})
        return lead, None
    return lead, str(form.get("name") or "") or None


# --- the answers ---------------------------------------------------------------------------
@dataclass
class Answers:
    """A lead's field_data sorted into what a contact holds and what only a note can."""

    first_name: str = ""
    last_name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    other: dict[str, str] = field(default_factory=dict)   # question key -> answer, in the form's order

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def read_answers(field_data: Any) -> Answers:
    answers = Answers()
    given: dict[str, str] = {}
    for item in field_data if isinstance(field_data, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        values = [str(v).strip() for v in item.get("values") or [] if str(v).strip()]
        if values:
            given[item["name"]] = ", ".join(values)
    first, _, last = given.get("full_name", "").partition(" ")
    answers.first_name = given.get("first_name") or first.strip()
    answers.last_name = given.get("last_name") or last.strip()
    for key, value in given.items():
        if key in EMAIL_KEYS or key in PHONE_KEYS:
            try:
                (answers.emails if key in EMAIL_KEYS else answers.phones).append(
                    normalise.email(value) if key in EMAIL_KEYS else normalise.phone(value))
                continue
            except ValueError:
                pass  # kept as typed, in the note: a rep can still call "0151 ..." back
        if key not in NAME_KEYS:
            answers.other[key] = value
    answers.emails, answers.phones = normalise.unique(answers.emails), normalise.unique(answers.phones)
    return answers


async def _custom_values(session: AsyncSession, other: dict[str, str]) -> dict[str, Any]:
    """Answers whose question key names a contact custom field, as that field stores them;
    an answer the field refuses (not one of a select's options) stays in the note only."""
    fields = await customfield_service.definitions(session, object_type="contact")
    values: dict[str, Any] = {}
    for key, answer in other.items():
        if key in fields:
            try:
                values |= await customfield_service.validate_values(
                    session, object_type="contact", values={key: answer}, partial=True)
            except InvalidCustomFieldValue:
                continue
    return values


def _note(lead: dict, answers: Answers, form_name: str | None) -> str:
    lines = [f"{label}: {value}" for label, value in (
        ("Name", answers.name), ("Email", ", ".join(answers.emails)), ("Phone", ", ".join(answers.phones))) if value]
    lines += [f"{key.replace('_', ' ').capitalize()}: {value}" for key, value in answers.other.items()]
    lines.append("")
    for label, id_key, name_key in (("Form", "form_id", None), ("Ad", "ad_id", "ad_name"),
                                    ("Ad set", "adset_id", "adset_name"), ("Campaign", "campaign_id", "campaign_name")):
        name = form_name if label == "Form" else lead.get(name_key or "")
        if lead.get(id_key):
            lines.append(f"{label}: {lead[id_key]}" + (f" ({name})" if name else ""))
    lines.append(f"Lead: {lead.get('id')}" + (" (organic)" if lead.get("is_organic") else ""))
    return "\n".join(lines)


def _created_at(lead: dict) -> datetime:
    try:
        return datetime.fromisoformat(str(lead.get("created_time"))).astimezone(UTC)
    except ValueError:
        return utcnow()


def _details(lead: dict, reference: dict, form_name: str | None) -> dict[str, Any]:
    details = {"leadgen_id": str(lead.get("id") or reference["leadgen_id"]), "page_id": reference.get("page_id")}
    for key in ("form_id", "ad_id", "ad_name", "adset_id", "adset_name", "campaign_id", "campaign_name",
                "platform", "is_organic", "created_time"):
        value = lead.get(key, reference.get(key))
        if value not in (None, ""):
            details[key] = value
    if form_name:
        details["form_name"] = form_name
    return details


# --- the job -------------------------------------------------------------------------------
def _reference(event: InboundEvent) -> dict[str, Any]:
    """The stored change's `value`: leadgen_id, page_id, form_id, ad_id, created_time."""
    try:
        payload = json.loads(event.body)
    except ValueError as exc:
        raise PermanentError(f"the stored leadgen change is not JSON: {exc}") from exc
    value = payload.get("value", payload) if isinstance(payload, dict) else None
    if not isinstance(value, dict) or not NUMERIC_ID.match(str(value.get("leadgen_id") or "")):
        raise PermanentError("the stored leadgen change has no leadgen_id")
    return {k: str(v) for k, v in value.items() if v is not None}


def _retries_spent() -> bool:
    request = getattr(current_task, "request", None)
    return request is not None and (request.retries or 0) >= FETCH_RETRIES


async def _record_failure(event_id: uuid.UUID, channel_id: uuid.UUID, reason: str, *, final: bool,
                          token: bool = False) -> None:
    """In its own transaction (the job's rolls back): the reason on the event and the channel's
    health; the event counts as failed once nothing will retry it but a replay."""
    async with unit_of_work() as session:
        event = await InboundEventRepository(session).get_for_update(event_id)
        if event is not None and event.status != InboundStatus.processed:
            event.error = reason[:2000]
            if final:
                event.status = InboundStatus.failed
        await ChannelRepository(session).record_health(channel_id, error=reason, token_error=reason if token else None)


def _graph_call(channel: Channel, reference: dict) -> tuple[str, str]:
    """The Graph API's base URL and the token to call it with; PermanentError when unusable."""
    settings = channel.settings or {}
    token = secrets_of(channel).get("access_token")
    if not token:
        raise PermanentError("the channel has no access_token to read leads with")
    if settings.get("page_id") and reference.get("page_id") not in (None, str(settings["page_id"])):
        raise PermanentError(f"the lead is for page {reference.get('page_id')}, not this channel's page")
    return graph.base_url(settings), token


async def _fetch_or_fail(event: InboundEvent, channel: Channel, reference: dict) -> tuple[dict, str | None]:
    """The lead and its form's name; a failure is recorded, then raised as the retry policy reads it."""
    leadgen_id = reference["leadgen_id"]
    try:
        base_url, token = _graph_call(channel, reference)
        return await fetch(base_url, token, leadgen_id, reference.get("form_id"))
    except graph.GraphError as exc:
        reason = f"fetching lead {leadgen_id}: {exc}"
        transient = _transient(exc)
        await _record_failure(event.id, channel.id, reason, final=not transient or _retries_spent(),
                              token=_token_refused(exc) and not transient)
        raise (TransientError(reason) if transient else PermanentError(reason)) from exc
    except PermanentError as exc:
        reason = f"fetching lead {leadgen_id}: {exc}"
        await _record_failure(event.id, channel.id, reason, final=True)
        raise PermanentError(reason) from exc


async def _check_placement(session: AsyncSession, event: InboundEvent, channel: Channel) -> None:
    """Before anything is fetched: the channel's stage must still be in its pipeline (an admin may
    have deleted it since); else the failure is recorded and the job waits in the dead letters."""
    settings = channel.settings or {}
    stage_id = _uuid_or_none(settings.get("stage_id"))
    stage = await pipeline_service.get_stage(session, stage_id) if stage_id else None
    if stage is None or str(stage.pipeline_id) != str(settings.get("pipeline_id")):
        reason = "the channel's stage_id is not a stage of its pipeline_id: fix the channel, then replay"
        await _record_failure(event.id, channel.id, reason, final=True)
        raise PermanentError(reason)


async def _contact_for(session: AsyncSession, answers: Answers, custom: dict[str, Any],
                       owner_id: uuid.UUID | None) -> Contact | None:
    known = await contact_service.find_by_identity(session, emails=answers.emails, phones=answers.phones)
    if known is not None:
        return await contact_service.complete_from_lead(session, contact=known, emails=answers.emails,
                                                        phones=answers.phones, custom_fields=custom)
    if not (answers.emails or answers.phones or answers.name):
        return None  # nothing to know the person by: the deal and its note carry the answers
    return await contact_service.create_from_lead(
        session, first_name=answers.first_name, last_name=answers.last_name, emails=answers.emails,
        phones=answers.phones, custom_fields=custom, source=SOURCE, owner_id=owner_id)


def _owner(channel: Channel) -> uuid.UUID | None:
    owner = (channel.settings or {}).get("owner_id")
    return uuid.UUID(str(owner)) if owner else channel.default_owner_id


@job("channel.fetch_lead", max_retries=FETCH_RETRIES, retry_base=RETRY_BASE, retry_max=300.0)
async def fetch_lead(session: AsyncSession, event_id: uuid.UUID) -> str:
    """Fetch the lead a stored `leadgen` change names; make its contact, deal and note once."""
    event = await session.get(InboundEvent, event_id)
    channel = await session.get(Channel, event.channel_id) if event is not None else None
    if event is None or channel is None or event.status == InboundStatus.processed:
        return "skipped"
    reference = _reference(event)
    await _check_placement(session, event, channel)
    lead, form_name = await _fetch_or_fail(event, channel, reference)
    event = await InboundEventRepository(session).get_for_update(event_id)  # a duplicate job waits here
    if event is None or event.status == InboundStatus.processed:
        return "skipped"
    outcome = await _store(session, channel, lead, reference, form_name)
    event.status, event.error, event.processed_at = InboundStatus.processed, None, utcnow()
    # The token just worked: a token error shown on the channel is over.
    await ChannelRepository(session).record_health(channel.id, received=True, token_ok=True)
    return outcome


async def _store(session: AsyncSession, channel: Channel, lead: dict, reference: dict,
                 form_name: str | None) -> str:
    leadgen_id = reference["leadgen_id"]
    if await deal_service.find_by_source(session, source=SOURCE, source_ref=leadgen_id) is not None:
        return "duplicate"  # the same lead delivered again (another event, another channel of the page)
    answers = read_answers(lead.get("field_data"))
    custom = await _custom_values(session, answers.other)
    contact = await _contact_for(session, answers, custom, _owner(channel))
    owner_id = (contact.owner_id if contact is not None else None) or _owner(channel)
    label = answers.name or next(iter(answers.emails + answers.phones), "") or f"lead {leadgen_id}"
    settings = channel.settings or {}
    try:
        deal = await deal_service.create_from_source(
            session, title=f"Lead: {label}" + (f" ({form_name})" if form_name else ""),
            contact_id=contact.id if contact else None, owner_id=owner_id,
            pipeline_id=_uuid_or_none(settings.get("pipeline_id")), stage_id=_uuid_or_none(settings.get("stage_id")),
            source=SOURCE, source_ref=leadgen_id, source_details=_details(lead, reference, form_name))
    except InvalidDeal as exc:  # the stage was deleted since _check_placement, a moment ago
        raise PermanentError(f"lead {leadgen_id}: the channel's pipeline/stage: {exc.detail}") from exc
    await activity_service.record_system_note(
        session, subject=f"Lead form: {form_name or reference.get('form_id') or 'Facebook'}",
        body=_note(lead, answers, form_name), occurred_at=_created_at(lead), owner_id=owner_id,
        contact_id=contact.id if contact else None, deal_id=deal.id)
    return "stored"


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None
