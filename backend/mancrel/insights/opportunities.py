"""Opportunities: something a rep could sell now, found in the CRM's own data.

- intent_no_deal: a buying or pricing question (classified intent) from a contact with no open
  deal; `create_deal` makes the deal in one click.
- back_in_stock: a product the contact asked about while the reply step saw every variant out of
  stock (its facts keep the stock it saw), active and in stock again now.
- repeat_purchase: a customer with two purchases or more whose usual interval says the next one
  is due within REPEAT_LEAD_DAYS (or recently overdue), and who has no open deal. Per product from
  won line items when the customer has them, else from their won deals.
- upsell: for an open deal, the contact's best recommendation (insights/recommend_service.py)
  that customers with the same products went on to buy (a co-interest reason), not on the deal yet.
  The most recently moved UPSELL_DEALS open deals are looked at per run, so a run stays bounded.

Each is stored once per (contact, kind, key): a dismissed one is kept as dismissed, so it is
never raised again.
"""

import itertools
import statistics
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.config import get_settings
from mancrel.core.db import utcnow
from mancrel.core.errors import Conflict, NotFound
from mancrel.core.pagination import decode_cursor, encode_cursor
from mancrel.core.permissions import Actor, Role, can_assign_to
from mancrel.deal import service as deal_service
from mancrel.deal.schemas import DealCreate
from mancrel.insights import recommend_service
from mancrel.insights.lead_score_models import Opportunity
from mancrel.insights.lead_score_schemas import OpportunityPage, OpportunityRead
from mancrel.insights.leads import brief
from mancrel.insights.opportunities_repository import OpportunityRepository

ASKED_DAYS = 14
STOCK_QUESTION_DAYS = 120
REPEAT_LEAD_DAYS = 14
UPSELL_DEALS = 200
CO_INTEREST = "often bought with"
# The job reads recommendations for the shop, not for one rep: every product and contact.
_SYSTEM = SimpleNamespace(id=None, role=Role.admin, email=None)
INTENT_WORDS = {"purchase_intent": "wants to buy", "pricing": "asked about prices"}


class OpportunityNotFound(NotFound):
    title = "Opportunity not found"


class OpportunityClosed(Conflict):
    title = "Opportunity already acted on"


def _money(value: Any, currency: str | None) -> dict[str, Any]:
    """An opportunity's value with its currency: the deal's, line item's or variant's it came
    from, else the shop's default; no value, no currency."""
    if value is None:
        return {"value": None, "currency": None}
    return {"value": float(value), "currency": currency or get_settings().default_currency}


def _asked(row: Any) -> dict[str, Any]:
    subject = (row.subject or "no subject")[:200]
    return {"contact_id": row.contact_id, "kind": "intent_no_deal", "key": f"conversation:{row.conversation_id}",
            "title": f"{INTENT_WORDS.get(row.intent, 'asked')}: {subject}"[:300],
            "reasons": [f"{INTENT_WORDS.get(row.intent, 'asked')} on {row.occurred_at:%d %b %Y}", "no open deal"],
            **_money(row.price, row.currency), "message_id": row.message_id}


def _stock(row: Any) -> dict[str, Any]:
    return {"contact_id": row.contact_id, "kind": "back_in_stock", "key": f"product:{row.product_id}",
            "title": f"Back in stock: {row.title}"[:300], "product_id": row.product_id, "message_id": row.message_id,
            "reasons": [f"asked about it on {row.created_at:%d %b %Y} while it was out of stock",
                        f"{int(row.stock)} in stock now"],
            **_money(row.price, row.currency)}


def _repeat(row: Any, now: datetime) -> dict[str, Any] | None:
    purchases = list(row.purchases)
    gaps = [(b - a).total_seconds() / 86400 for a, b in itertools.pairwise(purchases)]
    gaps = [g for g in gaps if g > 0.5]  # two deals closed the same day are one purchase
    if not gaps:
        return None
    usual = statistics.median(gaps)
    due = purchases[-1] + timedelta(days=usual)
    # Due soon, or overdue by less than half an interval: later than that it is a churn sign instead.
    if not due - timedelta(days=REPEAT_LEAD_DAYS) <= now <= due + timedelta(days=usual / 2):
        return None
    what = f"{row.title} " if row.product_id else ""
    key = f"product:{row.product_id}:" if row.product_id else ""
    return {"contact_id": row.contact_id, "kind": "repeat_purchase", "key": f"{key}after:{purchases[-1]:%Y-%m-%d}",
            "title": f"Next {what}purchase due {due:%d %b %Y}"[:300], "due_at": due, "product_id": row.product_id,
            "reasons": [f"buys {what}about every {usual:.0f} days ({len(purchases)} purchases)",
                        f"last purchase {purchases[-1]:%d %b %Y}"],
            **_money(row.typical_amount, row.currency)}


async def _upsells(session: AsyncSession, repo: OpportunityRepository, now: datetime) -> list[dict[str, Any]]:
    found = []
    for deal in await repo.recent_open_deals(UPSELL_DEALS):
        listing = await recommend_service.recommend(session, contact_id=deal.contact_id, actor=_SYSTEM, limit=5,
                                                    now=now)
        best = next((i for i in listing.items if any(r.startswith(CO_INTEREST) for r in i.reasons)), None)
        if best is None:
            continue
        found.append({"contact_id": deal.contact_id, "kind": "upsell", "key": f"deal:{deal.id}:{best.product.id}",
                      "title": f"Add {best.product.title} to {deal.title}"[:300], "product_id": best.product.id,
                      "deal_id": deal.id, **_money(best.product.price, best.product.currency),
                      "reasons": [r for r in best.reasons if r.startswith(CO_INTEREST)] + [f"open deal {deal.title}"]})
    return found


async def run(session: AsyncSession, *, now: datetime | None = None) -> dict[str, int]:
    """Find new opportunities of every kind; returns how many were added per kind."""
    now = now or utcnow()
    repo = OpportunityRepository(session)
    await repo.expire_asked_with_deal()
    found = [_asked(r) for r in await repo.asked_without_deal(now - timedelta(days=ASKED_DAYS))]
    found += [_stock(r) for r in await repo.back_in_stock(now - timedelta(days=STOCK_QUESTION_DAYS))]
    found += [o for o in (_repeat(r, now) for r in await repo.repeat_buyers(now)) if o is not None]
    found += await _upsells(session, repo, now)
    added: dict[str, int] = {}
    for row in found:
        if await repo.add_once({"id": uuid.uuid4(), "created_at": now, "status": "open", **row}):
            added[row["kind"]] = added.get(row["kind"], 0) + 1
    return added


def opportunity_read(row: Opportunity, contact: Any) -> OpportunityRead:
    return OpportunityRead(id=row.id, contact=brief(contact), kind=row.kind, title=row.title, reasons=row.reasons,
                           value=row.value, currency=_money(row.value, row.currency)["currency"],
                           product_id=row.product_id, message_id=row.message_id,
                           deal_id=row.deal_id, due_at=row.due_at, status=row.status, created_at=row.created_at)


async def visible(session: AsyncSession, *, actor: Actor, limit: int, cursor: str | None = None) -> OpportunityPage:
    after_key = tuple(decode_cursor(cursor, (datetime.fromisoformat, uuid.UUID))) if cursor else None
    rows = await OpportunityRepository(session).visible_open(actor, limit=limit + 1, after_key=after_key)
    last = rows[limit - 1][0] if len(rows) > limit else None
    return OpportunityPage(items=[opportunity_read(o, c) for o, c in rows[:limit]],
                           next_cursor=encode_cursor((last.created_at.isoformat(), last.id)) if last else None)


async def _open_one(session: AsyncSession, opportunity_id: uuid.UUID, actor: Actor) -> tuple[Opportunity, Any]:
    found = await OpportunityRepository(session).get_visible(opportunity_id, actor)
    if found is None:
        raise OpportunityNotFound(f"No opportunity with id {opportunity_id}.")
    if found[0].status != "open":
        raise OpportunityClosed(f"This opportunity is already {found[0].status}.")
    return found


async def dismiss(session: AsyncSession, *, opportunity_id: uuid.UUID, actor: Actor) -> OpportunityRead:
    opportunity, contact = await _open_one(session, opportunity_id, actor)
    opportunity.status, opportunity.acted_by_id, opportunity.acted_at = "dismissed", actor.id, utcnow()
    await session.flush()
    return opportunity_read(opportunity, contact)


async def create_deal(session: AsyncSession, *, opportunity_id: uuid.UUID, actor: Any) -> OpportunityRead:
    """One click: a deal on the contact in the default pipeline's first stage, for the contact's
    owner when the caller may hand it to them (else the caller), priced from what was asked."""
    opportunity, contact = await _open_one(session, opportunity_id, actor)
    owner_id = contact.owner_id if contact.owner_id and can_assign_to(actor, contact.owner_id) else actor.id
    deal = await deal_service.create(session, actor=actor, data=DealCreate(
        title=f"{brief(contact).name}: {opportunity.title}"[:300], contact_id=contact.id,
        company_id=contact.company_id, owner_id=owner_id,
        amount=Decimal(str(round(opportunity.value or 0, 2))),
        currency=opportunity.currency or get_settings().default_currency))
    opportunity.status, opportunity.deal_id = "converted", deal.id
    opportunity.acted_by_id, opportunity.acted_at = actor.id, utcnow()
    await session.flush()
    return opportunity_read(opportunity, contact)
