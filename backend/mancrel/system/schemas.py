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


class ProcessStatus(BaseModel):
    """A process `mancrel run` supervises (api, worker, beat, and the embedded postgres and valkey)."""

    name: str
    state: str  # starting, running, restarting (waiting out its backoff), stopped
    pid: int | None = None
    restarts: int = 0
    last_exit_code: int | None = None
    last_exit_at: datetime | None = None
    next_restart_at: datetime | None = None


class SystemStatus(BaseModel):
    queues: dict[str, int | None]  # None: Redis could not be asked
    workers: list[WorkerStatus]
    outbox_backlog: int
    dead_letters: int
    schedules: list[ScheduleStatus]
    redis_ok: bool
    processes: list[ProcessStatus] = []  # empty unless started by `mancrel run`
