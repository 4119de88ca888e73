"""The rollup jobs: a rerun changes nothing, a late review reaches the day it was decided on, and
the histograms behind the percentiles stay within their stated error."""

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from mancrel.analytics import histogram, rollup, tasks
from mancrel.analytics.models import ALL_OWNERS, AutomationDay, DealDay, ResponseDay, StageDay
from mancrel.analytics.repository import month_split
from mancrel.core.db import utcnow
from mancrel.core.state import set_state
from mancrel.reply.models import Suggestion
from tests.analytics.world import RANGE, build
from tests.factories import auth_headers


async def _snapshot(db):
    rows = []
    for model in (DealDay, StageDay, ResponseDay, AutomationDay):
        rows.append(sorted(map(tuple, (await db.execute(select(model.__table__))).all()), key=repr))
    return rows


async def test_rebuilding_a_day_twice_gives_the_same_rows(db):
    await build(db)
    before = await _snapshot(db)
    assert all(before)
    await rollup.rebuild(db, date(2024, 1, 1), date(2024, 3, 31))
    await rollup.rebuild(db, date(2024, 3, 10), date(2024, 3, 12))
    assert await _snapshot(db) == before


async def test_a_review_days_after_the_decision_reaches_that_days_funnel_on_the_next_refresh(client, db):
    world = await build(db)
    # The last refresh ran after everything the world wrote (past the look-back overlap); the review after it.
    seen = utcnow() + tasks.OVERLAP + timedelta(minutes=1)
    await set_state(db, tasks.WATERMARK, seen.isoformat())
    await db.execute(update(Suggestion).where(Suggestion.id == world.ids["s_m3"])
                     .values(status="approved", updated_at=seen + timedelta(seconds=1)))

    async def funnel():
        response = await client.get("/api/v1/analytics/automation", params=RANGE, headers=auth_headers(world.manager))
        return {k: response.json()[k] for k in ("pending", "approved", "reviewed")}

    assert await funnel() == {"pending": 1, "approved": 1, "reviewed": 3}  # the rollup is a day's copy
    result = await tasks.refresh(db, now=seen + timedelta(seconds=2))
    assert result["days"] == 3  # today, yesterday and 10 March, when m3's suggestion was decided
    assert await funnel() == {"pending": 0, "approved": 2, "reviewed": 4}


async def test_the_refresh_keeps_today_current(db):
    world = await build(db)
    await db.execute(update(Suggestion).where(Suggestion.id == world.ids["s_m1"]).values(created_at=utcnow()))
    await tasks.refresh(db)
    today = await db.scalar(select(func.sum(AutomationDay.suggestion_count))
                            .where(AutomationDay.day == utcnow().date(), AutomationDay.owner_key != ALL_OWNERS))
    assert today == 1


def test_histogram_percentiles_are_within_their_error_of_the_exact_nearest_rank():
    rng = random.Random(7)
    samples = [rng.lognormvariate(7, 2) for _ in range(5000)]
    buckets = histogram.merge([{str(histogram.bucket_of(s)): 1} for s in samples])
    ordered = sorted(samples)
    for q in (0.5, 0.9, 0.99):
        exact = ordered[int(-(-q * len(ordered) // 1)) - 1]
        assert histogram.percentile(buckets, q) == pytest.approx(exact, rel=0.011)
    assert histogram.percentile({}, 0.5) is None


@pytest.mark.parametrize(("first", "last", "months", "edges"), [
    (date(2024, 2, 1), date(2024, 3, 31), (date(2024, 2, 1), date(2024, 3, 31)), []),
    (date(2024, 1, 15), date(2024, 3, 5), (date(2024, 2, 1), date(2024, 2, 29)),
     [(date(2024, 1, 15), date(2024, 1, 31)), (date(2024, 3, 1), date(2024, 3, 5))]),
    (date(2024, 1, 15), date(2024, 2, 10), None, [(date(2024, 1, 15), date(2024, 2, 10))]),
    (date(2023, 12, 31), date(2024, 1, 31), (date(2024, 1, 1), date(2024, 1, 31)),
     [(date(2023, 12, 31), date(2023, 12, 31))]),
])
def test_a_range_splits_into_whole_months_and_the_days_around_them(first, last, months, edges):
    assert month_split(first, last) == (months, edges)
