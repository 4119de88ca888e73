"""Every read of the rollup tables: sums over a scope's days and owner keys."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import BigInteger, Date, Integer, Select, cast, desc, func, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.analytics.dependencies import Scope
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


def _count(column: Any) -> Any:
    """A sum of counts as an integer (PostgreSQL sums bigints into numeric)."""
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


def _scoped(stmt: Select, model: Any, scope: Scope, first: date | None = None, last: date | None = None, *,
            per_owner: bool = False) -> Select:
    """Rows of the scope's days and owners. Everyone's figures come from the ALL_OWNERS rows,
    unless the query groups by owner (`per_owner`)."""
    stmt = stmt.where(model.day.between(first or scope.first, last or scope.last))
    if scope.owners is not None:
        return stmt.where(model.owner_key.in_(list(scope.owners)))
    return stmt.where(model.owner_key != ALL_OWNERS if per_owner else model.owner_key == ALL_OWNERS)


class AnalyticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def stages_on(self, scope: Scope, day: date) -> list[Any]:
        stmt = select(StageDay.stage_id, StageDay.currency, _count(StageDay.deal_count),
                      func.sum(StageDay.amount)).group_by(StageDay.stage_id, StageDay.currency)
        return list((await self.session.execute(_scoped(stmt, StageDay, scope, day, day))).all())

    async def deal_totals(self, scope: Scope) -> Any:
        columns = (DealDay.created_count, DealDay.won_count, DealDay.lost_count, DealDay.won_cycle_days)
        stmt = select(*[_count(c) for c in columns[:3]], func.coalesce(func.sum(columns[3]), 0.0))
        return (await self.session.execute(_scoped(stmt, DealDay, scope))).one()

    async def won_by_month(self, scope: Scope) -> list[Any]:
        month = func.to_char(DealDay.day, "YYYY-MM")
        stmt = (select(month, DealDay.currency, _count(DealDay.won_count), func.sum(DealDay.won_amount))
                .where(DealDay.won_count > 0).group_by(month, DealDay.currency).order_by(month, DealDay.currency))
        return list((await self.session.execute(_scoped(stmt, DealDay, scope))).all())

    async def revenue_by_product(self, scope: Scope, limit: int) -> list[Any]:
        revenue = func.sum(ProductDay.revenue)
        stmt = (select(ProductDay.product_key, ProductDay.currency, func.max(ProductDay.title),
                       _count(ProductDay.quantity), revenue)
                .group_by(ProductDay.product_key, ProductDay.currency)
                .order_by(desc(revenue), ProductDay.product_key).limit(limit))
        return list((await self.session.execute(_scoped(stmt, ProductDay, scope))).all())

    async def messages_per_period(self, scope: Scope, interval: str) -> list[Any]:
        """(first day of the period, channel, intent, count); `interval` is day, week or month."""
        period = MessageDay.day if interval == "day" else cast(func.date_trunc(interval, MessageDay.day), Date)
        keys = (period, MessageDay.channel_kind, MessageDay.intent)
        stmt = select(*keys, _count(MessageDay.message_count)).group_by(*keys).order_by(*keys)
        return list((await self.session.execute(_scoped(stmt, MessageDay, scope))).all())

    async def response_totals(self, scope: Scope) -> list[Any]:
        stmt = (select(ResponseDay.metric, _count(ResponseDay.sample_count), func.sum(ResponseDay.total_seconds))
                .group_by(ResponseDay.metric))
        return list((await self.session.execute(_scoped(stmt, ResponseDay, scope))).all())

    async def response_buckets(self, scope: Scope) -> list[Any]:
        """The histograms merged in the database: (metric, bucket, count)."""
        entry = func.jsonb_each_text(ResponseDay.buckets).table_valued("key", "value").render_derived()
        bucket = cast(entry.c.key, Integer)
        stmt = (select(ResponseDay.metric, bucket, _count(cast(entry.c.value, BigInteger)))
                .select_from(ResponseDay).join(entry, true()).group_by(ResponseDay.metric, bucket))
        return list((await self.session.execute(_scoped(stmt, ResponseDay, scope))).all())

    async def automation(self, scope: Scope) -> list[Any]:
        keys = (AutomationDay.intent, AutomationDay.status)
        stmt = select(*keys, _count(AutomationDay.suggestion_count)).group_by(*keys)
        return list((await self.session.execute(_scoped(stmt, AutomationDay, scope))).all())

    async def activity_by_rep(self, scope: Scope) -> list[Any]:
        """(owner, type, count, done): whole months inside the range from ActivityMonth, the
        days before and after them from ActivityDay."""
        months, edges = month_split(scope.first, scope.last)
        parts = []
        for first, last in edges:
            parts.append(_scoped(select(ActivityDay.owner_key, ActivityDay.activity_type, ActivityDay.activity_count,
                                        ActivityDay.done_count), ActivityDay, scope, first, last, per_owner=True))
        if months is not None:
            stmt = select(ActivityMonth.owner_key, ActivityMonth.activity_type, ActivityMonth.activity_count,
                          ActivityMonth.done_count).where(ActivityMonth.month.between(*months))
            owners = ActivityMonth.owner_key.in_(list(scope.owners)) if scope.owners is not None else \
                ActivityMonth.owner_key != ALL_OWNERS
            parts.append(stmt.where(owners))
        rows = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
        stmt = (select(rows.c.owner_key, rows.c.activity_type, _count(rows.c.activity_count),
                       _count(rows.c.done_count)).group_by(rows.c.owner_key, rows.c.activity_type))
        return list((await self.session.execute(stmt)).all())


def month_split(first: date, last: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The whole calendar months within first..last (their first days, or None) and the day
    ranges left over at either end."""
    start = first if first.day == 1 else (first.replace(day=1) + timedelta(days=32)).replace(day=1)
    end = (last + timedelta(days=1)).replace(day=1)  # the first day after the last whole month
    if start >= end:
        return None, [(first, last)]
    edges = [(first, start - timedelta(days=1))] if first < start else []
    if end <= last:
        edges.append((end, last))
    return (start, end - timedelta(days=1)), edges
