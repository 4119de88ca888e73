"""The refresh job through a real worker: a call logged now shows in today's figures."""

import asyncio
from datetime import timedelta

from sqlalchemy import delete, select

from mancrel.activity.models import Activity, ActivityType
from mancrel.analytics import models
from mancrel.analytics.tasks import WATERMARK
from mancrel.core.db import commit, utcnow
from mancrel.core.state import AppState
from mancrel.worker.outbox import enqueue
from tests.contact.factories import quick_user

ROLLUPS = (models.DealDay, models.StageDay, models.ProductDay, models.MessageDay, models.ResponseDay,
           models.AutomationDay, models.ActivityDay)


async def test_the_refresh_job_puts_todays_activity_in_the_rollup(committed_db, celery_worker):
    rep = await quick_user(committed_db)
    committed_db.add(Activity(type=ActivityType.call, subject="Called back", owner_id=rep.id, occurred_at=utcnow()))
    await committed_db.commit()
    today = utcnow().date()
    calls = select(models.ActivityDay.activity_count).where(
        models.ActivityDay.day == today, models.ActivityDay.owner_key == rep.id,
        models.ActivityDay.activity_type == "call")
    try:
        assert await committed_db.scalar(calls) is None
        enqueue(committed_db, "analytics.refresh")
        await commit(committed_db)
        found = None
        for _ in range(300):  # the row the worker commits is the event we wait for
            found = await committed_db.scalar(calls)
            if found is not None:
                break
            await asyncio.sleep(0.1)
        assert found == 1, celery_worker.output()[-3000:]
    finally:  # the job's rows are not the fixture's to clean up
        for model in ROLLUPS:
            await committed_db.execute(delete(model).where(model.day >= today - timedelta(days=1)))
        await committed_db.execute(delete(AppState).where(AppState.key == WATERMARK))
        await committed_db.commit()
