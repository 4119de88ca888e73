"""Worker heartbeats and beat's last run of each schedule, kept in Redis for the status page.

A worker's main process refreshes `mancrel:workers:<hostname>` every HEARTBEAT_SECONDS
with a TTL of HEARTBEAT_TTL: a worker that stops beating (killed, frozen, network gone)
drops out of the list by itself. Beat records when it sent each schedule's job
(`RecordingScheduler`, used by `mancrel beat`).
"""

import contextlib
import json
import logging
import os
import threading
from datetime import UTC, datetime
from typing import Any

import redis
from celery.beat import PersistentScheduler
from celery.signals import worker_ready, worker_shutdown

from mancrel.core.config import get_settings

logger = logging.getLogger("mancrel.worker")

WORKER_KEY = "mancrel:workers:{}"
BEAT_KEY = "mancrel:beat:last-run"
HEARTBEAT_SECONDS = 10
HEARTBEAT_TTL = 3 * HEARTBEAT_SECONDS
_stop = threading.Event()


def _client() -> redis.Redis:
    return redis.Redis.from_url(get_settings().broker_url, decode_responses=True,
                                socket_connect_timeout=2, socket_timeout=5)


def _beat_forever(hostname: str, info: dict[str, Any]) -> None:
    client = _client()
    while not _stop.is_set():
        try:
            info["last_seen_at"] = datetime.now(UTC).isoformat()
            client.set(WORKER_KEY.format(hostname), json.dumps(info), ex=HEARTBEAT_TTL)
        except redis.RedisError:  # Redis down: the worker is stalled too; try again later
            logger.warning("worker heartbeat failed")
        _stop.wait(HEARTBEAT_SECONDS)


@worker_ready.connect
def _start_heartbeat(sender: Any = None, **_: Any) -> None:
    hostname = getattr(sender, "hostname", None) or f"worker-{os.getpid()}"
    queues = sorted(q.name for q in sender.app.amqp.queues.consume_from.values()) if sender else []
    info = {"hostname": hostname, "pid": os.getpid(), "queues": queues,
            "concurrency": getattr(sender, "concurrency", None),
            "started_at": datetime.now(UTC).isoformat()}
    _stop.clear()
    threading.Thread(target=_beat_forever, args=(hostname, info), name="heartbeat", daemon=True).start()


@worker_shutdown.connect
def _stop_heartbeat(sender: Any = None, **_: Any) -> None:
    _stop.set()
    hostname = getattr(sender, "hostname", None)
    if hostname:
        with contextlib.suppress(redis.RedisError):
            _client().delete(WORKER_KEY.format(hostname))  # gone now, not in HEARTBEAT_TTL


class RecordingScheduler(PersistentScheduler):
    """Celery's file-backed scheduler that also notes each schedule's last run in Redis."""

    def apply_entry(self, entry: Any, producer: Any = None) -> None:
        super().apply_entry(entry, producer=producer)
        try:
            _client().hset(BEAT_KEY, entry.name, datetime.now(UTC).isoformat())
        except redis.RedisError:
            logger.warning("could not record beat run", extra={"schedule": entry.name})
