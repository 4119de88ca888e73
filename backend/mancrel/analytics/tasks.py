"""Analytics beat jobs (default queue): keep the daily rollups current.

Every five minutes: today and yesterday (the first run after midnight closes yesterday), plus any
older day whose rows changed since the last run (a suggestion reviewed days after it was
decided, a deal deleted). Nightly: the last 35 days in full, which also picks up what no
watermark sees (a classification corrected, an activity backdated, a deal's amount changed).
"""

from datetime import datetime, timedelta
from typing import Any

from celery.schedules import crontab

from mancrel.analytics import rollup
from mancrel.core.db import utcnow
from mancrel.core.state import get_state, set_state
from mancrel.worker.app import BEAT_SCHEDULE
from mancrel.worker.task import AsyncSession, job

WATERMARK = "analytics.changes_seen_until"
# Rows are stamped before their transaction commits: look back past the watermark so a slow
# commit is still seen (redoing a day is harmless).
OVERLAP = timedelta(minutes=10)
NIGHTLY_DAYS = 35


async def refresh(session: AsyncSession, *, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    today = now.date()
    seen = await get_state(session, WATERMARK)
    days = {today, today - timedelta(days=1)}
    if seen:
        days |= {d for d in await rollup.changed_days(session, datetime.fromisoformat(seen) - OVERLAP) if d <= today}
    for first, last in rollup.runs(days):
        await rollup.rebuild(session, first, last)
    await set_state(session, WATERMARK, now.isoformat())
    return {"days": len(days)}


async def nightly(session: AsyncSession, *, now: datetime | None = None) -> dict[str, Any]:
    today = (now or utcnow()).date()
    await rollup.rebuild(session, today - timedelta(days=NIGHTLY_DAYS), today)
    return {"days": NIGHTLY_DAYS + 1}


@job("analytics.refresh", once=False, max_retries=0, dead_letter=False)
async def refresh_rollups(session: AsyncSession) -> dict[str, Any]:
    return await refresh(session)


@job("analytics.nightly", once=False, max_retries=0, dead_letter=False)
async def nightly_rollups(session: AsyncSession) -> dict[str, Any]:
    return await nightly(session)


BEAT_SCHEDULE["analytics-refresh"] = {"task": "analytics.refresh", "schedule": 300.0}
BEAT_SCHEDULE["analytics-nightly"] = {"task": "analytics.nightly", "schedule": crontab(hour=3, minute=5)}
