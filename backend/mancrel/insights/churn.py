"""Churn alerts: customers (at least one won deal) who may be slipping away.

Three signs, each its own kind of alert:
- silence: no purchase and no message for longer than this customer's own rhythm allows. The
  allowance is max(2 x their median gap between purchases, 1.25 x their longest gap, 21 days):
  a monthly buyer quiet for four months is flagged, while a seasonal buyer (one long gap a year
  in their history) is not flagged in their off-season. Needs two purchases (one gap) at least.
- negative: their latest messages (30 days) turned negative: a complaint, a negative sentiment,
  or plainly unhappy words when the classifier has not run yet.
- open_issue: a conversation still open with a complaint, or escalated by the reply step.

An alert is raised once per episode, with a task for the contact's owner: the episode of a
silence is the purchase it follows, of a negative turn its first message, of an issue its
conversation. When the sign goes away the alert is resolved; the same episode never comes back.
"""

import itertools
import re
import statistics
import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity import service as activity_service
from mancrel.activity.models import ActivityType
from mancrel.activity.schemas import ActivityCreate
from mancrel.core.db import utcnow
from mancrel.core.pagination import decode_cursor, encode_cursor
from mancrel.core.permissions import Actor, Role
from mancrel.insights.churn_repository import ChurnRepository
from mancrel.insights.lead_score_schemas import ChurnAlertRead, ChurnPage
from mancrel.insights.leads import brief

# The nightly job acts for the shop: the task is the contact owner's (or open to all when unassigned).
_SYSTEM = SimpleNamespace(id=None, role=Role.admin, email=None)
RECENT_DAYS = 30
MIN_SILENCE_DAYS = 21
TASK_DUE = timedelta(days=2)
NEGATIVE_WORDS = re.compile(
    r"\b(disappoint\w*|terrible|awful|horrible|worst|unacceptable|furious|angry|upset|unhappy|useless|"
    r"never again|cancel\w*|refund|broken|scam|rip[- ]off|fed up|switch(ing)? to)\b", re.IGNORECASE)


def silence_allowance(purchases: list[datetime]) -> tuple[float, float] | None:
    """(allowed silence in days, median gap in days) from a customer's purchase dates, or None with
    fewer than two purchases (no rhythm of their own yet)."""
    gaps = [(b - a).total_seconds() / 86400 for a, b in itertools.pairwise(purchases)]
    gaps = [g for g in gaps if g > 0.5]  # two deals closed the same day are one purchase
    if not gaps:
        return None
    median = statistics.median(gaps)
    return max(2 * median, 1.25 * max(gaps), MIN_SILENCE_DAYS), median


def _is_negative(message: Any) -> bool:
    return (message.intent == "complaint" or message.sentiment == "negative"
            or bool(message.sentiment is None and NEGATIVE_WORDS.search(message.text or "")))


def _silence(contact_id: uuid.UUID, purchases: list[datetime], last_inbound: datetime | None,
             now: datetime) -> dict[str, Any] | None:
    allowance = silence_allowance(purchases)
    if allowance is None:
        return None
    allowed, median = allowance
    last_purchase = purchases[-1]
    since = max(last_purchase, last_inbound or last_purchase)
    quiet = (now - since).total_seconds() / 86400
    if quiet <= allowed:
        return None
    wrote = f"; last message {last_inbound:%d %b %Y}" if last_inbound else "; never wrote"
    return {"contact_id": contact_id, "kind": "silence", "episode": f"silence:{last_purchase:%Y-%m-%d}",
            "severity": round(quiet / allowed, 3),
            "reasons": [f"quiet for {quiet:.0f} days (last purchase {last_purchase:%d %b %Y}{wrote})",
                        f"usually buys every {median:.0f} days ({len(purchases)} purchases); "
                        f"more than {allowed:.0f} days is unusual for them"]}


def _negative(contact_id: uuid.UUID, messages: list[Any]) -> dict[str, Any] | None:
    streak = []
    for message in messages:  # newest first: the run of negative messages up to now
        if not _is_negative(message):
            break
        streak.append(message)
    if not streak:
        return None
    first, latest = streak[-1], streak[0]
    what = latest.intent.replace("_", " ") if latest.intent else "message"
    quote = " ".join((latest.text or "").split())[:120]
    return {"contact_id": contact_id, "kind": "negative", "episode": f"negative:{first.id}",
            "severity": round(1.0 + 0.25 * len(streak), 3),
            "reasons": [f"{len(streak)} negative message{'s' if len(streak) > 1 else ''} in a row since "
                        f"{first.occurred_at:%d %b %Y}", f"latest ({what}, {latest.occurred_at:%d %b}): \"{quote}\""]}


def _open_issue(contact_id: uuid.UUID, issue: Any) -> dict[str, Any]:
    since = f" since {issue.last_inbound_at:%d %b %Y}" if issue.last_inbound_at else ""
    what = "escalated conversation waiting for a person" if issue.escalated else "unresolved complaint"
    return {"contact_id": contact_id, "kind": "open_issue", "episode": f"open_issue:{issue.conversation_id}",
            "severity": 2.0 if issue.escalated else 1.5,
            "reasons": [f"{what}{since}: \"{(issue.subject or 'no subject')[:120]}\""]}


async def detect(session: AsyncSession, *, now: datetime) -> list[dict[str, Any]]:
    """Every churn sign present at `now`, one dict per (contact, kind, episode)."""
    repo = ChurnRepository(session)
    purchases = await repo.purchases(now)
    last_inbound = await repo.last_inbound(now)
    recent = await repo.recent_messages(now, RECENT_DAYS)
    issues = await repo.open_issues(now)
    found = []
    for contact_id, dates in purchases.items():
        silence = _silence(contact_id, dates, last_inbound.get(contact_id), now)
        negative = _negative(contact_id, recent.get(contact_id, []))
        found += [a for a in (silence, negative) if a is not None]
        found += [_open_issue(contact_id, issue) for issue in issues.get(contact_id, [])]
    return found


async def run(session: AsyncSession, *, now: datetime | None = None) -> dict[str, int]:
    """The nightly job: raise new episodes (each with a task for the owner), resolve gone ones."""
    now = now or utcnow()
    repo = ChurnRepository(session)
    signs = await detect(session, now=now)
    contacts = await repo.contacts(list({s["contact_id"] for s in signs}))
    raised = 0
    for sign in signs:
        alert_id = await repo.raise_once({**sign, "id": uuid.uuid4(), "raised_at": now})
        if alert_id is None:
            continue
        raised += 1
        contact = contacts[sign["contact_id"]]
        task = await activity_service.create(session, actor=_SYSTEM, data=ActivityCreate(
            type=ActivityType.task, subject=f"Churn risk: {brief(contact).name}"[:300],
            body="\n".join(sign["reasons"]), due_at=now + TASK_DUE, owner_id=contact.owner_id,
            assignee_id=contact.owner_id, contact_id=contact.id))
        await repo.set_task(alert_id, task.id)
    present = {(s["contact_id"], s["kind"], s["episode"]) for s in signs}
    gone = [a.id for a in await repo.open_alerts() if (a.contact_id, a.kind, a.episode) not in present]
    await repo.resolve(gone, now)
    return {"signs": len(signs), "raised": raised, "resolved": len(gone)}


async def visible_alerts(session: AsyncSession, *, actor: Actor, limit: int, cursor: str | None = None) -> ChurnPage:
    after_key = tuple(decode_cursor(cursor, (float, uuid.UUID))) if cursor else None
    rows = await ChurnRepository(session).visible_open(actor, limit=limit + 1, after_key=after_key)
    items = [ChurnAlertRead(id=a.id, contact=brief(c), kind=a.kind, severity=a.severity, reasons=a.reasons,
                            task_id=a.task_id, raised_at=a.raised_at) for a, c in rows[:limit]]
    last = rows[limit - 1][0] if len(rows) > limit else None
    return ChurnPage(items=items, next_cursor=encode_cursor((last.severity, last.id)) if last else None)
