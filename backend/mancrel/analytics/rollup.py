"""Recompute the daily rollups: whole days at a time, so a rerun gives the same rows.

`rebuild(session, first, last)` rewrites every rollup for the days first..last (UTC); the beat
jobs in analytics/tasks.py call it for today and yesterday every few minutes, for the days
touched by late changes, and nightly for the last weeks. Rows are deleted and inserted in the
caller's transaction, so readers see either the old day or the new one, never half.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Uuid, delete, func, insert, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.analytics import rollup_sql
from mancrel.analytics.histogram import bucket_of
from mancrel.analytics.models import (
    ALL_OWNERS,
    ActivityDay,
    ActivityMonth,
    AutomationDay,
    DealDay,
    MessageDay,
    ProductDay,
    ResponseDay,
    StageDay,
)
from mancrel.deal.models import NIL_OWNER

_INSERTS = [(DealDay, rollup_sql.DEALS), (StageDay, rollup_sql.STAGES), (ProductDay, rollup_sql.PRODUCTS),
            (MessageDay, rollup_sql.MESSAGES), (AutomationDay, rollup_sql.AUTOMATION),
            (ActivityDay, rollup_sql.ACTIVITIES)]
_SAMPLES = {"first_response": rollup_sql.FIRST_RESPONSES, "resolution": rollup_sql.RESOLUTIONS}


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _params(first: date, last: date) -> dict[str, Any]:
    return {"first": first, "last": last, "start": day_start(first), "end": day_start(last + timedelta(days=1)),
            "nil": NIL_OWNER}


async def rebuild(session: AsyncSession, first: date, last: date) -> None:
    """Rewrite the rollups of the days first..last, both included."""
    params = _params(first, last)
    # One rebuild at a time: two would both delete a day, then collide inserting it.
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('analytics.rollup'))"))
    for model, statement in _INSERTS:
        await session.execute(delete(model).where(model.day.between(first, last)))
        await session.execute(statement, params)
        await session.execute(_everyone(model, first, last))
    await session.execute(delete(ActivityMonth).where(ActivityMonth.month.between(first.replace(day=1), last)))
    await session.execute(rollup_sql.ACTIVITY_MONTHS, params)
    await session.execute(delete(ResponseDay).where(ResponseDay.day.between(first, last)))
    for metric, statement in _SAMPLES.items():
        rows = _histograms(metric, (await session.execute(statement, params)).all())
        if rows:
            await session.execute(insert(ResponseDay), rows)


def _everyone(model: Any, first: date, last: date) -> Any:
    """INSERT the days' ALL_OWNERS rows: the per-owner rows summed over owners."""
    table = model.__table__
    keys = [c for c in table.primary_key.columns if c.name != "owner_key"]
    values = [func.max(c) if c.name == "title" else func.sum(c) for c in table.columns
              if not c.primary_key]
    summed = (select(*keys, literal(ALL_OWNERS, Uuid()), *values)
              .where(table.c.day.between(first, last)).group_by(*keys))
    names = [c.name for c in keys] + ["owner_key"] + [c.name for c in table.columns if not c.primary_key]
    return insert(table).from_select(names, summed)


def _histograms(metric: str, samples: list[Any]) -> list[dict[str, Any]]:
    """One histogram row per (day, owner), and per day for ALL_OWNERS, from the individual durations."""
    grouped: dict[tuple[date, Any], dict[str, Any]] = defaultdict(
        lambda: {"sample_count": 0, "total_seconds": 0.0, "buckets": defaultdict(int)})
    for day, owner_key, seconds in samples:
        seconds = max(float(seconds), 0.0)  # a reply clocked before the message (skewed Date header)
        for row in (grouped[(day, owner_key)], grouped[(day, ALL_OWNERS)]):
            row["sample_count"] += 1
            row["total_seconds"] += seconds
            row["buckets"][str(bucket_of(seconds))] += 1
    return [{"day": day, "owner_key": owner_key, "metric": metric, "sample_count": row["sample_count"],
             "total_seconds": row["total_seconds"], "buckets": dict(row["buckets"])}
            for (day, owner_key), row in grouped.items()]


async def changed_days(session: AsyncSession, since: datetime) -> set[date]:
    return {day for day in (await session.scalars(rollup_sql.CHANGED_DAYS, {"since": since})) if day is not None}


def runs(days: set[date]) -> list[tuple[date, date]]:
    """Consecutive days joined into (first, last) runs, so each run is one pass of each query."""
    result: list[tuple[date, date]] = []
    for day in sorted(days):
        if result and day == result[-1][1] + timedelta(days=1):
            result[-1] = (result[-1][0], day)
        else:
            result.append((day, day))
    return result
