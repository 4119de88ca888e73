from datetime import datetime

from pydantic import BaseModel


class WorkerStatus(BaseModel):
    hostname: str
    pid: int | None = None
    queues: list[str] = []
    concurrency: int | None = None
    started_at: datetime | None = None
    last_seen_at: datetime | None = None


class ScheduleStatus(BaseModel):
    name: str
    task: str
    every_seconds: float | None
    last_run_at: datetime | None


class SystemStatus(BaseModel):
    queues: dict[str, int | None]  # None: Redis could not be asked
    workers: list[WorkerStatus]
    outbox_backlog: int
    dead_letters: int
    schedules: list[ScheduleStatus]
    redis_ok: bool
