"""Lead scores: train the model on the CRM's history, score active contacts, list the hottest.

Training rows are (contact, cut date) pairs: every contact worth scoring at a past cut date, with
the signals known then and the label "won a deal in the 90 days after". Cut dates are a month
apart and end 90 days ago, so every label is known. Scores are recomputed nightly (train, then
score everyone) and for single contacts when a new signal arrives (insights.score_contacts).
"""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.contact.models import Contact
from mancrel.core.db import utcnow
from mancrel.core.errors import NotFound
from mancrel.core.pagination import decode_cursor, encode_cursor
from mancrel.core.permissions import Actor
from mancrel.insights import lead_score
from mancrel.insights.lead_score_features import HORIZON, history_span, signals_at, won_within_horizon
from mancrel.insights.lead_score_models import LeadScore, LeadScoreModel
from mancrel.insights.lead_score_repository import LeadScoreRepository
from mancrel.insights.lead_score_schemas import ContactBrief, LeadPage, LeadRead, Reason

CUT_SPACING = timedelta(days=30)
MAX_CUTS = 12
STORED_RAW = ("stage_name", "stage_probability", "inbound_30d", "asked_to_buy", "asked_pricing", "complaints",
              "days_since_inbound", "past_wins", "deal_amount", "deal_currency")


def cut_dates(first: datetime | None, now: datetime, *, max_cuts: int = MAX_CUTS) -> list[datetime]:
    """Month-spaced dates whose 90-day outcome is known, newest first, after a month of history."""
    if first is None:
        return []
    cuts, cut = [], now - HORIZON
    while cut >= first + CUT_SPACING and len(cuts) < max_cuts:
        cuts.append(cut)
        cut -= CUT_SPACING
    return cuts


async def training_rows(session: AsyncSession, cuts: Sequence[datetime]) -> tuple[list[dict[str, Any]], list[int]]:
    rows: list[dict[str, Any]] = []
    labels: list[int] = []
    for cut in cuts:
        won = await won_within_horizon(session, cut)
        for raw in await signals_at(session, cut):
            rows.append(raw)
            labels.append(1 if raw["contact_id"] in won else 0)
    return rows, labels


async def train(session: AsyncSession, *, now: datetime | None = None) -> lead_score.Model:
    """Fit on the history and store the model as the next version."""
    now = now or utcnow()
    first, _ = await history_span(session)
    cuts = cut_dates(first, now)
    rows, labels = await training_rows(session, cuts)
    repo = LeadScoreRepository(session)
    model = lead_score.fit(rows, labels, version=await repo.next_version())
    model.metrics["cuts"] = len(cuts)
    session.add(LeadScoreModel(version=model.version, coefficients=model.coefficients, reference=model.reference,
                               vocabulary=model.vocabulary, metrics=model.metrics, trained_at=now))
    await session.flush()
    return model


async def current_model(session: AsyncSession) -> lead_score.Model:
    stored = await LeadScoreRepository(session).latest_model()
    if stored is None:
        return lead_score.prior_model()
    return lead_score.Model(version=stored.version, coefficients=stored.coefficients, reference=stored.reference,
                            vocabulary=stored.vocabulary, metrics=stored.metrics)


def _row(model: lead_score.Model, raw: dict[str, Any], now: datetime) -> dict[str, Any]:
    probability, reasons = model.explain(raw)
    return {"contact_id": raw["contact_id"], "score": round(100 * probability), "probability": probability,
            "reasons": reasons, "features": {k: raw.get(k) for k in STORED_RAW}, "model_version": model.version,
            "computed_at": now, "changed_at": now, "previous_score": None}


async def score(session: AsyncSession, contact_ids: Sequence[uuid.UUID] | None = None, *,
                now: datetime | None = None, model: lead_score.Model | None = None) -> int:
    """Score `contact_ids` (None: every contact worth scoring) with the current model. A contact
    no longer worth scoring (no open deal, no recent message) loses its score."""
    now = now or utcnow()
    model = model or await current_model(session)
    raws = await signals_at(session, now, contact_ids)
    repo = LeadScoreRepository(session)
    rows = [_row(model, raw, now) for raw in raws]
    for start in range(0, len(rows), 1000):
        await repo.upsert(rows[start:start + 1000])
    scored = {raw["contact_id"] for raw in raws}
    if contact_ids is None:
        await repo.drop_stale(computed_before=now)
    else:
        await repo.drop([c for c in contact_ids if c not in scored])
    return len(rows)


async def nightly(session: AsyncSession, *, now: datetime | None = None) -> dict[str, Any]:
    model = await train(session, now=now)
    return {"model_version": model.version, "training_rows": model.metrics.get("rows", 0),
            "scored": await score(session, now=now, model=model)}


def brief(contact: Contact) -> ContactBrief:
    name = " ".join(part for part in (contact.first_name, contact.last_name) if part) or (
        contact.emails[0] if contact.emails else str(contact.id))
    return ContactBrief(id=contact.id, name=name, owner_id=contact.owner_id, company_id=contact.company_id)


def lead_read(row: LeadScore, contact: Contact) -> LeadRead:
    return LeadRead(contact=brief(contact), score=row.score, previous_score=row.previous_score,
                    trend=row.score - row.previous_score if row.previous_score is not None else 0,
                    reasons=[Reason(**r) for r in row.reasons], model_version=row.model_version,
                    deal_amount=row.features.get("deal_amount"), deal_currency=row.features.get("deal_currency"),
                    computed_at=row.computed_at)


async def of_contact(session: AsyncSession, contact: Contact) -> LeadRead:
    """One contact's score (the caller has been checked to see them); NotFound until the job scores them."""
    row = await LeadScoreRepository(session).get(contact.id)
    if row is None:
        raise NotFound("This contact has no lead score yet: only contacts with an open deal or a recent "
                       "message are scored, nightly and when they write.")
    return lead_read(row, contact)


async def hottest(session: AsyncSession, *, actor: Actor, limit: int, cursor: str | None = None,
                  min_score: int = 0) -> LeadPage:
    """The caller's hottest leads: a rep's own and unassigned contacts, everyone's for a manager."""
    after_key = None
    if cursor:
        score_value, contact_id = decode_cursor(cursor, (int, uuid.UUID))
        after_key = (score_value, contact_id)
    rows = await LeadScoreRepository(session).hottest(actor, limit=limit + 1, after_key=after_key,
                                                      min_score=min_score)
    items = [lead_read(score_row, contact) for score_row, contact in rows[:limit]]
    next_cursor = encode_cursor((rows[limit - 1][0].score, rows[limit - 1][0].contact_id)) if len(rows) > limit \
        else None
    return LeadPage(items=items, next_cursor=next_cursor)
