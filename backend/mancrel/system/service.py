"""Measure the shared state of the job system (for the status page and /metrics)."""

import json
import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.config import get_settings
from mancrel.core.db import unit_of_work
from mancrel.core.redis import get_redis
from mancrel.core.runstate import read_state
from mancrel.deadletter import service as dead_letter_service
from mancrel.system.schemas import ProcessStatus, ScheduleStatus, SystemStatus, WorkerStatus
from mancrel.worker import repository as worker_repository
from mancrel.worker.app import BEAT_SCHEDULE, QUEUES, load_task_modules
from mancrel.worker.heartbeat import BEAT_KEY, WORKER_KEY

logger = logging.getLogger("mancrel.system")


@dataclass
class Measures:
    queues: dict[str, int | None]
    outbox_backlog: int
    dead_letters: int
    redis_ok: bool


async def _queue_depths() -> dict[str, int | None]:
    redis = get_redis()
    async with redis.pipeline(transaction=False) as pipe:
        for queue in QUEUES:
            pipe.llen(queue)  # kombu's Redis transport keeps each queue as a list named after it
        depths = await pipe.execute()
    return dict(zip(QUEUES, depths, strict=True))


async def measure(session: AsyncSession | None = None) -> Measures:
    if session is None:
        async with unit_of_work() as own:
            return await measure(own)
    try:
        queues, redis_ok = await _queue_depths(), True
    except Exception:  # Redis down: say so rather than fail the page that reports it
        logger.warning("queue depth unavailable", exc_info=True)
        queues, redis_ok = dict.fromkeys(QUEUES), False
    return Measures(queues=queues, outbox_backlog=await worker_repository.count_unpublished(session),
                    dead_letters=await dead_letter_service.count_pending(session), redis_ok=redis_ok)


async def _workers() -> list[WorkerStatus]:
    redis = get_redis()
    keys = [key async for key in redis.scan_iter(match=WORKER_KEY.format("*"), count=100)]
    values = await redis.mget(keys) if keys else []
    workers = [WorkerStatus.model_validate(json.loads(v)) for v in values if v]
    return sorted(workers, key=lambda w: w.hostname)


def _every(schedule: object) -> float | None:
    if isinstance(schedule, int | float):
        return float(schedule)
    run_every = getattr(schedule, "run_every", None)
    return run_every.total_seconds() if run_every is not None else None


async def _schedules() -> list[ScheduleStatus]:
    last_runs = await get_redis().hgetall(BEAT_KEY)
    return [ScheduleStatus(name=name, task=entry["task"], every_seconds=_every(entry["schedule"]),
                           last_run_at=last_runs.get(name))
            for name, entry in sorted(BEAT_SCHEDULE.items())]


def _processes() -> list[ProcessStatus]:
    """What `mancrel run` says of its processes (restarts, backoff), read from the data folder."""
    state = read_state(get_settings().data_dir.resolve()) or {}
    return [ProcessStatus.model_validate(p) for p in state.get("processes", [])]


async def status(session: AsyncSession) -> SystemStatus:
    load_task_modules()  # every module's beat entries, not only those this process imported yet
    measures = await measure(session)
    workers, schedules = [], [ScheduleStatus(name=n, task=e["task"], every_seconds=_every(e["schedule"]),
                                             last_run_at=None) for n, e in sorted(BEAT_SCHEDULE.items())]
    if measures.redis_ok:
        try:
            workers, schedules = await _workers(), await _schedules()
        except Exception:
            logger.warning("worker heartbeats unavailable", exc_info=True)
    return SystemStatus(queues=measures.queues, workers=workers, outbox_backlog=measures.outbox_backlog,
                        dead_letters=measures.dead_letters, schedules=schedules, redis_ok=measures.redis_ok,
                        processes=_processes())
