"""The product metrics (core/product_metrics.py) move when the product does: the reply step's
decisions, grounding failures and LLM calls; people's reviews; escalations open and overdue; and
the multiprocess files carry the host's name."""

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from mancrel.activity.models import Activity
from mancrel.core.config import get_settings
from mancrel.core.db import utcnow
from mancrel.core.permissions import Role
from mancrel.reply import policy as reply_policy
from mancrel.reply import suggestions
from mancrel.reply.decision import decide_message
from mancrel.reply.models import Escalation
from mancrel.reply.policy import PolicyUpdate
from mancrel.system.product_gauges import escalation_counts
from tests.factories import make_user
from tests.reply.factories import classified_message, make_product
from tests.reply.llm_standin import ChatStandIn

QUESTION = "Hi, how much are the Merino Hiking Socks?"


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def llm(monkeypatch):
    with ChatStandIn() as standin:
        monkeypatch.setenv("MANCREL_LLM_BASE_URL", standin.base_url)
        monkeypatch.setenv("MANCREL_LLM_MAX_RETRIES", "0")
        get_settings.cache_clear()
        yield standin
    get_settings.cache_clear()


async def _openai_policy(db) -> None:
    admin = await make_user(db, role=Role.admin)
    await reply_policy.update(db, data=PolicyUpdate(provider="openai", signature="Alpine Loom"), actor=admin)


async def test_an_invented_price_counts_a_decision_a_grounding_failure_and_the_llm_call(db, llm):
    await _openai_policy(db)
    await make_product(db, price="18.00")
    llm.reply = "Hi Ada,\n\nThe Merino Hiking Socks are 12.50 EUR this week!\n\nBest regards,\nAlpine Loom"
    before = {"approval": _value("mancrel_ai_decisions_total", decision="approval", intent="pricing", mode="live"),
              "grounding": _value("mancrel_grounding_failures_total"),
              "calls": _value("mancrel_llm_calls_total", provider="openai"),
              "prompt": _value("mancrel_llm_tokens_total", provider="openai", kind="prompt"),
              "completion": _value("mancrel_llm_tokens_total", provider="openai", kind="completion"),
              "latency": _value("mancrel_reply_latency_seconds_count", decision="approval")}
    message = await classified_message(db, text=QUESTION, confidence=0.97)
    assert (await decide_message(db, message.id)).decision == "approval"
    assert _value("mancrel_ai_decisions_total", decision="approval", intent="pricing", mode="live") == \
        before["approval"] + 1
    assert _value("mancrel_grounding_failures_total") == before["grounding"] + 1
    assert _value("mancrel_llm_calls_total", provider="openai") == before["calls"] + 1
    assert _value("mancrel_llm_tokens_total", provider="openai", kind="prompt") == before["prompt"] + 321
    assert _value("mancrel_llm_tokens_total", provider="openai", kind="completion") == before["completion"] + 45
    assert _value("mancrel_reply_latency_seconds_count", decision="approval") == before["latency"] + 1


async def test_a_failing_endpoint_counts_an_llm_error(db, llm):
    await _openai_policy(db)
    await make_product(db)
    llm.status = 503
    errors = _value("mancrel_llm_errors_total", provider="openai")
    message = await classified_message(db, text=QUESTION, confidence=0.95)
    assert (await decide_message(db, message.id)).decision == "escalate"
    assert _value("mancrel_llm_errors_total", provider="openai") == errors + 1


async def test_reviews_are_counted_by_outcome(db):
    await make_product(db, price="18.00", stock=10)
    rep = await make_user(db)
    counted = {o: _value("mancrel_suggestion_reviews_total", outcome=o) for o in ("approved", "edited", "rejected")}
    first = await decide_message(db, (await classified_message(db, text=QUESTION, confidence=0.75, owner=rep)).id)
    second = await decide_message(db, (await classified_message(db, text=QUESTION, confidence=0.75, owner=rep)).id)
    assert first.status == second.status == "pending"
    await suggestions.approve(db, suggestion=first, text=None, actor=rep)
    await suggestions.reject(db, suggestion=second, reason="wrong tone", actor=rep)
    assert _value("mancrel_suggestion_reviews_total", outcome="approved") == counted["approved"] + 1
    assert _value("mancrel_suggestion_reviews_total", outcome="rejected") == counted["rejected"] + 1
    assert _value("mancrel_suggestion_reviews_total", outcome="edited") == counted["edited"]


async def test_escalations_open_and_overdue_follow_their_tasks(db):
    rep = await make_user(db)
    await make_product(db)
    opened, overdue = await escalation_counts(db)
    escalated = []
    for _ in range(2):
        message = await classified_message(db, text=QUESTION, confidence=0.4, owner=rep, priority="urgent")
        escalated.append(await decide_message(db, message.id))
    first, second = [await db.scalar(select(Escalation).where(Escalation.suggestion_id == e.id)) for e in escalated]
    tasks = [await db.get(Activity, e.task_id) for e in (first, second)]
    assert all(t.assignee_id == rep.id for t in tasks)
    assert await escalation_counts(db) == (opened + 2, overdue)

    tasks[0].due_at = utcnow() - timedelta(minutes=5)  # a customer waiting past the hour
    await db.flush()
    assert await escalation_counts(db) == (opened + 2, overdue + 1)
    second.reroutes = 1  # re-routed after missing its hour: a new due time, still overdue for the customer
    await db.flush()
    assert await escalation_counts(db) == (opened + 2, overdue + 2)
    tasks[0].done_at = tasks[1].done_at = utcnow()  # answered
    await db.flush()
    assert await escalation_counts(db) == (opened, overdue)


def test_multiprocess_files_are_named_by_host_and_pid(tmp_path):
    """Two containers share the metrics volume and both number a process 7: the files must differ."""
    script = ("import os; from mancrel.core import product_metrics as m; m.reviewed('approved'); "
              "print(os.getpid())")
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    pid = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__)))).stdout.strip()
    host = socket.gethostname().replace("_", "-")
    assert f"counter_{host}-{pid}.db" in {p.name for p in tmp_path.iterdir()}

    from prometheus_client import CollectorRegistry, generate_latest, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(tmp_path))
    assert 'mancrel_suggestion_reviews_total{outcome="approved"} 1.0' in generate_latest(registry).decode()
