"""Every job ends before the broker would hand it to a second worker (issue 24, reading 1).

A message unacknowledged for the visibility timeout is delivered again while the first
worker still runs it; with `acks_late`, a job that may run longer than that runs twice at
once. The import's one hour against a 30-minute timeout was such a job."""

import pytest

from mancrel.worker.app import TASK_TIME_LIMIT, VISIBILITY_TIMEOUT, celery_app, load_task_modules
from mancrel.worker.task import job


def test_every_registered_job_has_a_time_limit_below_the_visibility_timeout() -> None:
    load_task_modules()
    ours = {name: task for name, task in celery_app.tasks.items() if not name.startswith("celery.")}
    assert {"crm.import_rows", "crm.sweep_imports", "outbox.relay"} <= set(ours)
    too_long = {name: task.time_limit for name, task in ours.items()
                if (task.time_limit or TASK_TIME_LIMIT) >= VISIBILITY_TIMEOUT}
    assert too_long == {}


def test_a_job_that_could_outlive_the_visibility_timeout_is_refused_when_declared() -> None:
    with pytest.raises(ValueError, match="visibility timeout"):
        job("tests.too_long", time_limit=VISIBILITY_TIMEOUT)
    with pytest.raises(ValueError, match="visibility timeout"):
        job("tests.waits_too_long", retry_max=VISIBILITY_TIMEOUT + 1)
