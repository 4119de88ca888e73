"""What admins and Prometheus see of the job system: status page and /metrics."""

import re

from mancrel.core.db import commit
from mancrel.core.permissions import Role
from mancrel.worker.models import OutboxMessage
from tests.conftest import start_worker
from tests.factories import auth_headers, make_user
from tests.worker.factories import make_dead_letter
from tests.worker.helpers import enqueue_committed, eventually


def _sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus exposition text."""
    for line in text.splitlines():
        match = re.match(rf"{name}(?:\{{(.*)\}})? (\S+)$", line)
        if match and all(f'{k}="{v}"' in (match.group(1) or "") for k, v in labels.items()):
            return float(match.group(2))
    return None


async def test_status_and_metrics_show_backlog_queues_and_dead_letters(committed_db, committed_client):
    admin = await make_user(committed_db, role=Role.admin)
    rep = await make_user(committed_db, role=Role.rep)
    await make_dead_letter(committed_db)
    committed_db.add(OutboxMessage(task_name="tests.record", kwargs={"key": "stuck"}))  # never published
    await commit(committed_db)
    for n in range(2):  # no worker runs: they wait in the email queue
        await enqueue_committed(committed_db, "email.send_test", key=str(n))

    assert (await committed_client.get("/api/v1/system/status", headers=auth_headers(rep))).status_code == 403
    status = (await committed_client.get("/api/v1/system/status", headers=auth_headers(admin))).json()
    assert status["queues"] == {"webhooks": 0, "messages": 0, "replies": 0, "catalog": 0, "email": 2, "ai": 0,
                                "default": 0}
    assert status["outbox_backlog"] == 1 and status["dead_letters"] == 1 and status["redis_ok"] is True
    assert status["workers"] == []
    assert {"outbox-relay", "retention-prune"} <= {s["name"] for s in status["schedules"]}

    metrics = (await committed_client.get("/metrics")).text
    assert _sample(metrics, "mancrel_queue_depth", queue="email") == 2
    assert _sample(metrics, "mancrel_outbox_backlog") == 1
    assert _sample(metrics, "mancrel_dead_letters") == 1


async def test_status_lists_live_workers_and_beats_last_runs(committed_db, committed_client, celery_worker,
                                                             start_beat):
    admin = await make_user(committed_db, role=Role.admin)
    await commit(committed_db)
    start_beat()

    async def relay_has_run() -> dict | None:
        status = (await committed_client.get("/api/v1/system/status", headers=auth_headers(admin))).json()
        relay = next(s for s in status["schedules"] if s["name"] == "outbox-relay")
        return status if relay["last_run_at"] else None

    status = await eventually(relay_has_run, within=60, interval=0.5)
    [worker] = status["workers"]
    assert worker["pid"] == celery_worker.pid and "default" in worker["queues"]


async def test_task_counts_and_durations_from_worker_processes_reach_the_apis_metrics(
        committed_db, committed_client, servers, clean_redis, tmp_path, monkeypatch, effects):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    worker = start_worker(servers, tmp_path / "worker.log", PROMETHEUS_MULTIPROC_DIR=str(folder))
    try:
        await enqueue_committed(committed_db, "tests.record", key="metered")
        await eventually(lambda: effects("metered"))
        await enqueue_committed(committed_db, "tests.refuse", key="metered-failure")
        await eventually(lambda: _dead_lettered(folder))
    finally:
        worker.stop()

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))  # as `mancrel run` sets it for the API
    metrics = (await committed_client.get("/metrics")).text
    assert _sample(metrics, "mancrel_tasks_total", task="tests.record", state="succeeded") == 1
    assert _sample(metrics, "mancrel_tasks_total", task="tests.refuse", state="dead_lettered") == 1
    assert _sample(metrics, "mancrel_task_duration_seconds_count", task="tests.record") == 1


def _dead_lettered(folder) -> bool:
    from prometheus_client import CollectorRegistry, generate_latest, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(folder))
    text = generate_latest(registry).decode()
    return _sample(text, "mancrel_tasks_total", task="tests.refuse", state="dead_lettered") == 1
