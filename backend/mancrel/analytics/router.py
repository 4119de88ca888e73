"""`/api/v1/analytics`: figures over a range of UTC days (`from`, `to`), for one owner
(`owner_id`) or team (`team_id`) when asked, always within what the caller may see (a rep: their
own and unassigned records). Read from the daily rollups (analytics/rollup.py), which the beat
jobs keep current to within five minutes."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from mancrel.analytics import service
from mancrel.analytics.dependencies import ScopeDep
from mancrel.analytics.schemas import (
    ActivityAnalyticsRead,
    AutomationRead,
    DealsRead,
    MessagesRead,
    PipelineAnalyticsRead,
    ProductRevenueRead,
    ResponseTimesRead,
)
from mancrel.core.db import SessionDep

router = APIRouter(prefix="/analytics", tags=["analytics"])


@router.get("/pipeline", response_model=PipelineAnalyticsRead)
async def get_pipeline_value(scope: ScopeDep, session: SessionDep) -> PipelineAnalyticsRead:
    """Open deals and their value per stage at the end of `to`, and the change over the range."""
    return await service.pipeline(session, scope)


@router.get("/deals", response_model=DealsRead)
async def get_deal_outcomes(scope: ScopeDep, session: SessionDep) -> DealsRead:
    """Deals created, won and lost in the range; win rate, average sales cycle, won per month."""
    return await service.deals(session, scope)


@router.get("/revenue-by-product", response_model=ProductRevenueRead)
async def get_revenue_by_product(scope: ScopeDep, session: SessionDep,
                                 limit: Annotated[int, Query(ge=1, le=200)] = 20) -> ProductRevenueRead:
    """Line items of the deals won in the range, per product, highest revenue first."""
    return await service.revenue_by_product(session, scope, limit=limit)


@router.get("/messages", response_model=MessagesRead)
async def get_message_volume(
        scope: ScopeDep, session: SessionDep,
        interval: Annotated[Literal["auto", "day", "week", "month"], Query(
            description="periods of the series; auto: days up to 92 days, weeks up to 366, then months")] = "auto",
) -> MessagesRead:
    """Customer messages per period, channel and intent (junk left out)."""
    return await service.messages(session, scope, interval=interval)


@router.get("/response-times", response_model=ResponseTimesRead)
async def get_response_times(scope: ScopeDep, session: SessionDep) -> ResponseTimesRead:
    """First-response and resolution times (median, p90, mean) of replies and closes in the range."""
    return await service.response_times(session, scope)


@router.get("/automation", response_model=AutomationRead)
async def get_automation_funnel(scope: ScopeDep, session: SessionDep) -> AutomationRead:
    """What the AI decided for the messages of the range and what people did with it."""
    return await service.automation(session, scope)


@router.get("/activity", response_model=ActivityAnalyticsRead)
async def get_rep_activity(scope: ScopeDep, session: SessionDep) -> ActivityAnalyticsRead:
    """Activities per rep (who logged them) by type, busiest first."""
    return await service.activity(session, scope)
