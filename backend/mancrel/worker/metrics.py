"""Worker and queue metrics, shown on the API's `/metrics` for the whole system.

Mechanism: prometheus-client's multiprocess mode. `mancrel run` sets
PROMETHEUS_MULTIPROC_DIR for every child, so each process (api, each Celery worker
child, beat) writes its samples to files there and `/metrics` on the API merges them
(core/metrics.py). Task counters and durations are recorded by the worker processes
where tasks run. Queue depth, outbox backlog and dead letters describe shared state, not
one process, so the API measures them (Redis LLEN, two COUNTs) when `/metrics` is
scraped and keeps the most recent value (`multiprocess_mode="mostrecent"`). When
workers run on other machines, point each at its own folder and scrape them separately,
or keep one worker host per folder; the gauges stay right either way since the API
measures them.
"""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

logger = logging.getLogger("mancrel.metrics")

TASKS = Counter("mancrel_tasks_total", "Task executions by outcome: succeeded, retried, "
                "dead_lettered, skipped (already done)", ["task", "state"])
TASK_DURATION = Histogram("mancrel_task_duration_seconds", "Task run time", ["task"],
                          buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600))
QUEUE_DEPTH = Gauge("mancrel_queue_depth", "Jobs waiting in each broker queue", ["queue"],
                    multiprocess_mode="mostrecent")
OUTBOX_BACKLOG = Gauge("mancrel_outbox_backlog", "Outbox jobs committed but not yet published",
                       multiprocess_mode="mostrecent")
DEAD_LETTERS = Gauge("mancrel_dead_letters", "Dead letters waiting for an admin",
                     multiprocess_mode="mostrecent")


async def refresh_system_gauges(measure: Callable[[], Awaitable[Any]]) -> None:
    """Measure the shared state gauges; called by `/metrics` before rendering. `measure` is
    `system.service.measure`, passed in: the system service reads the worker's tables, so
    this module (imported by every task) cannot import it back."""
    try:
        snapshot = await measure()
    except Exception:  # the database is down: still serve the other metrics (that is when they matter)
        logger.warning("system gauges not measured", exc_info=True)
        return
    for queue, depth in snapshot.queues.items():
        QUEUE_DEPTH.labels(queue).set(depth if depth is not None else float("nan"))
    OUTBOX_BACKLOG.set(snapshot.outbox_backlog)
    DEAD_LETTERS.set(snapshot.dead_letters)
