"""The Celery application: broker settings, queues and routing by task name."""

import importlib
import logging
import os
import warnings

from celery import Celery
from celery.exceptions import SecurityWarning
from celery.signals import setup_logging, worker_init
from kombu import Queue

from mancrel.core.config import get_settings
from mancrel.core.logging import configure_logging

# In priority order: a worker always takes the next job from the first non-empty queue it serves
# (`queue_order_strategy` below). What a customer or a shop is waiting for comes first (storing a
# delivery, the outbox relay that publishes any job whose own publish failed, classifying the
# message, deciding its reply, applying a catalogue change, sending mail); enrichment that can
# lag (search embeddings, insights) and housekeeping come after. Under a burst the enrichment
# queues wait and then catch up, instead of every stage slowing together.
# Classification (`messages`) goes before the reply decision (`replies`): a batch classifies many
# messages in one cheap pass and gives the inbox its intent and priority at once, while a decision
# costs several times more per message (retrieval, drafting, grounding). Sharing one FIFO queue, a
# burst's decisions held back the next messages' classification (bench/README.md, Inbox).
QUEUES = ("webhooks", "messages", "replies", "catalog", "email", "ai", "default")
# Tasks whose queue is not their domain's.
ROUTES_BY_NAME = {"ai.process_message": "messages", "outbox.relay": "webhooks"}
# A task named "<domain>.<action>" goes to its domain's queue.
ROUTES_BY_PREFIX = {
    "webhooks": "webhooks",
    "ai": "ai",
    "email": "email",
    "inbox": "email",
    "catalog": "catalog",
    "channel": "webhooks",
    "reply": "replies",
}
# Longest task time limit plus headroom: a job unacknowledged for longer than the
# visibility timeout is handed to another worker, so this must exceed every task.
TASK_TIME_LIMIT = 600
VISIBILITY_TIMEOUT = 3 * TASK_TIME_LIMIT

# Every module that defines tasks, so worker and beat register them all.
TASK_MODULES = [
    "mancrel.worker.outbox",
    "mancrel.dataimport.tasks",
    "mancrel.catalog.tasks",
    "mancrel.ai.tasks",
    "mancrel.inbox.tasks",
    "mancrel.channel.tasks",
    "mancrel.channel.meta_tasks",
    "mancrel.channel.lead_ads",
    "mancrel.reply.tasks",
    "mancrel.insights.tasks_insights",
    "mancrel.analytics.tasks",
    "mancrel.system.retention",
    "mancrel.insights.profile_tasks",
]


# Test and benchmark support: extra comma-separated task modules for this process
# (e.g. MANCREL_EXTRA_TASK_MODULES=tests.worker.support_tasks). Empty in production.
EXTRA_TASK_MODULES_ENV = "MANCREL_EXTRA_TASK_MODULES"


def task_modules() -> list[str]:
    extra = [m.strip() for m in os.environ.get(EXTRA_TASK_MODULES_ENV, "").split(",") if m.strip()]
    return TASK_MODULES + extra


def load_task_modules() -> list[str]:
    """Import every task module, which also fills BEAT_SCHEDULE."""
    modules = task_modules()
    for module_name in modules:
        importlib.import_module(module_name)
    return modules


def _transport_options() -> dict:
    """A job taken by a worker that then died whole (power cut, SIGKILL of the main process,
    so nobody requeues it) is handed out again once unacknowledged for `visibility_timeout`.
    MANCREL_BROKER_VISIBILITY_TIMEOUT shortens it for tests only: it must exceed every task's
    time limit and every retry countdown, or running jobs get a second copy."""
    visibility = int(os.environ.get("MANCREL_BROKER_VISIBILITY_TIMEOUT", VISIBILITY_TIMEOUT))
    options = {"visibility_timeout": visibility, "socket_timeout": 5, "socket_connect_timeout": 5,
               "retry_on_timeout": True, "queue_order_strategy": "priority"}
    if visibility < VISIBILITY_TIMEOUT:  # look for abandoned jobs as often as they can expire
        options.update(unacked_restore_interval=1, unacked_restore_throttle=1)
    return options


def route_task(name: str, args, kwargs, options, task=None, **kw) -> dict[str, str]:
    queue = ROUTES_BY_NAME.get(name) or ROUTES_BY_PREFIX.get(name.split(".", 1)[0], "default")
    return {"queue": queue}


# Periodic jobs; task modules add their entries at import.
BEAT_SCHEDULE: dict[str, dict] = {}


def _configuration() -> dict:
    """Read when Celery first needs its configuration, not at import: `mancrel run`
    imports this module before it knows where its embedded Redis listens."""
    modules = load_task_modules()  # their beat entries must be in before beat reads them
    settings = get_settings()
    return dict(
        broker_url=settings.broker_url,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        broker_transport_options=_transport_options(),
        result_backend=None,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_time_limit=TASK_TIME_LIMIT,
        task_soft_time_limit=TASK_TIME_LIMIT - 30,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        task_queues=[Queue(name) for name in QUEUES],
        task_default_queue="default",
        task_routes=(route_task,),
        timezone="UTC",
        imports=modules,
        beat_schedule=BEAT_SCHEDULE,
    )


celery_app = Celery("mancrel")
celery_app.add_defaults(_configuration)

# Root in a container or a trial VM is normal here, and we accept JSON only (the reason Celery
# refuses pickle as root), so its "absolutely not recommended" warning is noise on every start.
warnings.filterwarnings("ignore", category=SecurityWarning)


@setup_logging.connect
def _json_logging(**_: object) -> None:
    # Connected, this replaces Celery's own coloured handlers in the worker and beat: their
    # lines are JSON like the API's, and `mancrel run` files them under logs/.
    configure_logging(get_settings().log_level)


@worker_init.connect
def _say_root_once(**_: object) -> None:
    if os.geteuid() == 0:
        logging.getLogger("mancrel.worker").info(
            "running as root; fine for a container or a trial, but production should run the "
            "worker as a dedicated user")
