"""Analytics figures from the rollups: sums, rates and percentiles over a scope."""

import uuid
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.analytics import histogram
from mancrel.analytics.dependencies import Scope
from mancrel.analytics.repository import AnalyticsRepository
from mancrel.analytics.schemas import (
    ActivityAnalyticsRead,
    AutomationRead,
    DealsRead,
    Durations,
    Funnel,
    IntentFunnel,
    MessageCount,
    MessagesRead,
    Money,
    MonthWon,
    PipelineAnalyticsRead,
    ProductRevenue,
    ProductRevenueRead,
    RepActivity,
    ResponseTimesRead,
    StageValue,
)
from mancrel.deal.models import NIL_OWNER
from mancrel.pipeline import service as pipeline_service
from mancrel.user import service as user_service


def _range(scope: Scope) -> dict[str, Any]:
    return {"from_day": scope.first, "to_day": scope.last}


async def pipeline(session: AsyncSession, scope: Scope) -> PipelineAnalyticsRead:
    repo = AnalyticsRepository(session)
    now = {(s, c): (n, a) for s, c, n, a in await repo.stages_on(scope, scope.last)}
    before = {(s, c): (n, a) for s, c, n, a in await repo.stages_on(scope, scope.first - timedelta(days=1))}
    stages = []
    for p in await pipeline_service.list_pipelines(session):
        for stage in p.stages:
            for currency in sorted({c for s, c in now.keys() | before.keys() if s == stage.id}):
                count, amount = now.get((stage.id, currency), (0, Decimal(0)))
                old_count, old_amount = before.get((stage.id, currency), (0, Decimal(0)))
                stages.append(StageValue(pipeline_id=p.id, pipeline_name=p.name, stage_id=stage.id,
                                         stage_name=stage.name, position=stage.position, currency=currency,
                                         deal_count=count, amount=amount, deal_count_change=count - old_count,
                                         amount_change=amount - old_amount))
    return PipelineAnalyticsRead(**_range(scope), stages=stages)


async def deals(session: AsyncSession, scope: Scope) -> DealsRead:
    repo = AnalyticsRepository(session)
    created, won, lost, cycle_days = await repo.deal_totals(scope)
    months: dict[str, MonthWon] = {}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for month, currency, count, amount in await repo.won_by_month(scope):
        row = months.setdefault(month, MonthWon(month=month, won=0, amounts=[]))
        row.won += count
        row.amounts.append(Money(currency=currency, amount=amount))
        totals[currency] += amount
    return DealsRead(**_range(scope), created=created, won=won, lost=lost,
                     win_rate=round(won / (won + lost), 4) if won + lost else None,
                     average_cycle_days=round(cycle_days / won, 2) if won else None,
                     won_amounts=[Money(currency=c, amount=a) for c, a in sorted(totals.items())],
                     months=list(months.values()))


async def revenue_by_product(session: AsyncSession, scope: Scope, *, limit: int) -> ProductRevenueRead:
    rows = await AnalyticsRepository(session).revenue_by_product(scope, limit)
    return ProductRevenueRead(**_range(scope), items=[
        ProductRevenue(product_id=None if key == NIL_OWNER else key, title=title, currency=currency,
                       quantity=quantity, revenue=revenue) for key, currency, title, quantity, revenue in rows])


def message_interval(scope: Scope, interval: str) -> str:
    """`auto`: days up to a quarter, weeks up to a year, months beyond (a chart's worth of points)."""
    if interval != "auto":
        return interval
    days = (scope.last - scope.first).days + 1
    return "day" if days <= 92 else "week" if days <= 366 else "month"


async def messages(session: AsyncSession, scope: Scope, *, interval: str = "auto") -> MessagesRead:
    interval = message_interval(scope, interval)
    rows = await AnalyticsRepository(session).messages_per_period(scope, interval)
    series = [MessageCount(day=day, channel=channel, intent=intent or None, count=count)
              for day, channel, intent, count in rows]
    by_channel: dict[str, int] = defaultdict(int)
    by_intent: dict[str, int] = defaultdict(int)
    for row in series:
        by_channel[row.channel] += row.count
        by_intent[row.intent or "unclassified"] += row.count
    return MessagesRead(**_range(scope), interval=interval, total=sum(by_channel.values()),
                        by_channel=dict(by_channel), by_intent=dict(by_intent), days=series)


def _durations(count: int, total: float, buckets: dict[int, int]) -> Durations:
    def rounded(value: float | None) -> float | None:
        return round(value, 1) if value is not None else None

    return Durations(count=count, median_seconds=rounded(histogram.percentile(buckets, 0.5)),
                     p90_seconds=rounded(histogram.percentile(buckets, 0.9)),
                     mean_seconds=rounded(total / count) if count else None)


async def response_times(session: AsyncSession, scope: Scope) -> ResponseTimesRead:
    repo = AnalyticsRepository(session)
    totals = {metric: (count, total) for metric, count, total in await repo.response_totals(scope)}
    buckets: dict[str, dict[int, int]] = defaultdict(dict)
    for metric, bucket, count in await repo.response_buckets(scope):
        buckets[metric][bucket] = count
    figures = {m: _durations(*totals.get(m, (0, 0.0)), buckets[m]) for m in ("first_response", "resolution")}
    return ResponseTimesRead(**_range(scope), **figures)


_FUNNEL_FIELD = {"sent": "auto_sent", "approved": "approved", "edited": "edited", "rejected": "rejected",
                 "escalated": "escalated", "pending": "pending", "shadow": "shadow", "ignored": "ignored",
                 "send_failed": "send_failed"}


def _funnel(counts: dict[str, int]) -> dict[str, Any]:
    fields = {name: counts.get(status, 0) for status, name in _FUNNEL_FIELD.items()}
    reviewed = fields["approved"] + fields["edited"] + fields["rejected"]
    accepted = fields["approved"] + fields["edited"]
    return {**fields, "decided": sum(counts.values()), "reviewed": reviewed,
            "precision": round(accepted / reviewed, 4) if reviewed else None}


async def automation(session: AsyncSession, scope: Scope) -> AutomationRead:
    per_intent: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    overall: dict[str, int] = defaultdict(int)
    for intent, status, count in await AnalyticsRepository(session).automation(scope):
        per_intent[intent][status] += count
        overall[status] += count
    intents = [IntentFunnel(intent=i, **_funnel(c)) for i, c in sorted(per_intent.items())]
    return AutomationRead(**_range(scope), **Funnel(**_funnel(overall)).model_dump(), intents=intents)


async def activity(session: AsyncSession, scope: Scope) -> ActivityAnalyticsRead:
    reps: dict[uuid.UUID, RepActivity] = {}
    for owner_key, kind, count, done in await AnalyticsRepository(session).activity_by_rep(scope):
        owner = None if owner_key == NIL_OWNER else owner_key
        row = reps.setdefault(owner_key, RepActivity(owner_id=owner, name=None, total=0, done=0, by_type={}))
        row.total += count
        row.done += done
        row.by_type[kind] = row.by_type.get(kind, 0) + count
    names = {u.id: u.full_name for u in await user_service.list_active(session)}  # one query, not one per rep
    for row in reps.values():
        if row.owner_id is not None and row.owner_id not in names:  # a rep who has left since
            user = await user_service.get(session, row.owner_id)
            names[row.owner_id] = user.full_name if user is not None else None
        row.name = names.get(row.owner_id) if row.owner_id is not None else None
    return ActivityAnalyticsRead(**_range(scope), reps=sorted(reps.values(), key=lambda r: (-r.total, str(r.owner_id))))
