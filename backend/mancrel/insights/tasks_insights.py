"""Insight jobs, on the `ai` queue (named `ai.*` for the routing by prefix), and their schedule.

Nightly: train the lead-score model and score everyone, raise churn alerts, find opportunities.
Every minute: re-score the contacts with a new signal since the last run (a message, a deal
created or moved, an activity), so a score follows a buying question within about a minute
without any other domain having to call us.
"""

from datetime import datetime, timedelta
from typing import Any

from celery.schedules import crontab
from sqlalchemy import text

from mancrel.core.db import utcnow
from mancrel.core.state import get_state, set_state
from mancrel.insights import churn, leads, opportunities
from mancrel.worker.app import BEAT_SCHEDULE
from mancrel.worker.task import AsyncSession, job

WATERMARK = "insights.lead_signals_seen_until"
# Rows are stamped before their transaction commits: look back this far past the watermark so a
# slow commit is still seen (scoring a contact twice is harmless).
OVERLAP = timedelta(minutes=10)

_CHANGED = text("""
SELECT contact_id FROM conversations WHERE last_message_at > :since AND contact_id IS NOT NULL
UNION SELECT contact_id FROM deals WHERE created_at > :since AND contact_id IS NOT NULL
UNION SELECT d.contact_id FROM deal_stage_changes h JOIN deals d ON d.id = h.deal_id
      WHERE h.changed_at > :since AND d.contact_id IS NOT NULL
UNION SELECT contact_id FROM activities WHERE created_at > :since AND contact_id IS NOT NULL
""")


async def score_changed(session: AsyncSession, *, now: datetime | None = None) -> int:
    now = now or utcnow()
    seen = await get_state(session, WATERMARK)
    since = datetime.fromisoformat(seen) - OVERLAP if seen else now - timedelta(days=1)
    contact_ids = list((await session.scalars(_CHANGED, {"since": since})).all())
    scored = await leads.score(session, contact_ids, now=now) if contact_ids else 0
    await set_state(session, WATERMARK, now.isoformat())
    return scored


@job("ai.score_lead_signals", once=False, max_retries=0, dead_letter=False)
async def score_lead_signals(session: AsyncSession) -> int:
    return await score_changed(session)


# Twelve monthly cuts of the whole CRM, then everyone scored: minutes at a million contacts, so a
# longer limit than the default (still below the broker's visibility timeout, as job() checks).
@job("ai.nightly_lead_scores", once=False, max_retries=0, dead_letter=False, time_limit=1500)
async def nightly_lead_scores(session: AsyncSession) -> dict[str, Any]:
    return await leads.nightly(session)


@job("ai.nightly_churn", once=False, max_retries=0, dead_letter=False)
async def nightly_churn(session: AsyncSession) -> dict[str, int]:
    return await churn.run(session)


@job("ai.find_opportunities", once=False, max_retries=0, dead_letter=False)
async def find_opportunities(session: AsyncSession) -> dict[str, int]:
    return await opportunities.run(session)


BEAT_SCHEDULE["insights-lead-signals"] = {"task": "ai.score_lead_signals", "schedule": 60.0}
BEAT_SCHEDULE["insights-nightly-leads"] = {"task": "ai.nightly_lead_scores", "schedule": crontab(hour=2, minute=10)}
BEAT_SCHEDULE["insights-nightly-churn"] = {"task": "ai.nightly_churn", "schedule": crontab(hour=2, minute=40)}
# Buying questions go stale within days: look for opportunities hourly, not nightly.
BEAT_SCHEDULE["insights-opportunities"] = {"task": "ai.find_opportunities", "schedule": crontab(minute=25)}
