"""Commands: worker, beat."""

import argparse
import socket

from mancrel.core.config import get_settings
from mancrel.worker.app import QUEUES


def _worker(args: argparse.Namespace) -> int:
    from mancrel.worker import heartbeat  # noqa: F401  (connects the heartbeat signals)
    from mancrel.worker.app import celery_app

    argv = ["worker", "-Q", args.queues, "--concurrency", str(args.concurrency), "--pool", args.pool,
            "--loglevel", get_settings().log_level, "-n", f"{args.name}@{socket.gethostname()}",
            "--without-mingle", "--without-gossip"]
    celery_app.worker_main(argv)
    return 0


def _beat(args: argparse.Namespace) -> int:
    from mancrel.worker.app import celery_app

    schedule = get_settings().data_dir.resolve() / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    celery_app.start(["beat", "-s", str(schedule), "-S", "mancrel.worker.heartbeat:RecordingScheduler",
                      "--loglevel", get_settings().log_level])
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    worker = subparsers.add_parser("worker", help="run a Celery worker")
    worker.add_argument("-Q", "--queues", default=",".join(QUEUES), help="comma-separated queues")
    worker.add_argument("-c", "--concurrency", type=int, default=2)
    worker.add_argument("--pool", default="prefork", choices=["prefork", "solo", "threads"])
    worker.add_argument("-n", "--name", default="mancrel")
    worker.set_defaults(handler=_worker)

    beat = subparsers.add_parser("beat", help="run the Celery beat scheduler")
    beat.set_defaults(handler=_beat)
