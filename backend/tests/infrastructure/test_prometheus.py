"""Every query of the Grafana dashboards and alert rules, run against a real Prometheus that
scraped a running Mancrel (and the database and Redis exporters): each returns series, so no
panel or alert watches a metric or label that does not exist."""

import json
import re
import time
import uuid
from urllib.parse import urlencode

import httpx
import yaml

from mancrel.core.embedded import free_port
from tests.catalog.factories import STANDARD_SECRET, standard_headers, standard_payload
from tests.core.test_run import ADMIN
from tests.infrastructure.stack import Stack
from tests.infrastructure.test_nginx import _mailgun_form
from tests.infrastructure.tools import INFRA

BROKEN_MAILBOX = "Broken mailbox"

# The threshold an alert compares with is its last part (alerts.yml says so); what is left is
# the measurement, which must exist whether or not the alert fires.
_COMPARISON = re.compile(r"^(?P<query>.*?)\s*(==|!=|>=|<=|>|<)\s*[-+]?[0-9.e]+\s*$", re.DOTALL)


def _queries() -> dict[str, str]:
    found = {}
    for path in sorted((INFRA / "grafana/dashboards").glob("*.json")):
        board = json.loads(path.read_text())
        for panel in board["panels"]:
            for target in panel["targets"]:
                found[f"{board['title']} / {panel['title']} / {target['refId']}"] = (
                    target["expr"].replace("$__rate_interval", "1m"))
    for group in yaml.safe_load((INFRA / "prometheus/alerts.yml").read_text())["groups"]:
        for rule in group["rules"]:
            match = _COMPARISON.match(rule["expr"].strip())
            assert match, f"{rule['alert']}: the comparison is not the last part of its expression"
            found[f"alert {rule['alert']}"] = match["query"]
    return found


def _drive_the_product(stack: Stack) -> None:
    """What a day brings: a shop's webhook, a customer's mail, a page nobody has."""
    base = f"http://127.0.0.1:{stack.api_port}"
    with httpx.Client(base_url=base, timeout=30) as client:
        token = client.post("/api/v1/auth/login", json={"email": ADMIN, "password": stack.admin_password}
                            ).json()["access_token"]
        source = client.post("/api/v1/catalog/sources", headers={"Authorization": f"Bearer {token}"}, json={
            "name": "Shop for Prometheus", "kind": "standard", "webhook_secret": STANDARD_SECRET}).json()
        body = json.dumps(standard_payload("prom-1", sku="PROM-1")).encode()
        assert client.post(f"/webhook/catalog/{source['id']}", content=body,
                           headers=standard_headers(body)).status_code == 200
        mail = client.post(stack.mail_path, content=urlencode(_mailgun_form(stack.mail_key, f"Hi {uuid.uuid4()}")),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert mail.status_code == 200
        assert client.get("/api/v1/no-such-thing").status_code == 404
        # A mailbox whose server is gone: its polls fail, and the channel shows as failing.
        broken = client.post("/api/v1/channels", headers={"Authorization": f"Bearer {token}"}, json={
            "kind": "email", "name": BROKEN_MAILBOX, "secrets": {"imap_password": "secret"},
            "settings": {"address": "broken@shop.example", "inbound": "imap", "imap": {
                "host": "127.0.0.1", "port": free_port(), "username": "shop", "tls": False,
                "poll_interval_seconds": 5}}})
        assert broken.status_code == 201, broken.text


# What the traffic above must show on the product metrics, beyond "a series exists": the mail
# counted as accepted, decided by the reply step after classification, the broken mailbox failing
# and its lag measured. A filter comparison returns nothing until it holds.
PRODUCT_EXPECTATIONS = {
    "mail accepted": 'sum(mancrel_inbound_messages_total{channel_kind="email", outcome="accepted"}) >= 1',
    "mail classified": "sum(mancrel_classification_latency_seconds_count) >= 1",
    "reply step decided": "sum(mancrel_ai_decisions_total) >= 1",
    "reply latency observed": "sum(mancrel_reply_latency_seconds_count) >= 1",
    "broken mailbox failing": f'max(mancrel_channel_failing{{channel="{BROKEN_MAILBOX}"}}) == 1',
    "demo channel healthy": f'max(mancrel_channel_failing{{channel!="{BROKEN_MAILBOX}"}}) == 0',
    "broken mailbox lag": f'max(mancrel_imap_poll_lag_seconds{{channel="{BROKEN_MAILBOX}"}}) >= 0',
}


def _series(prometheus: httpx.Client, query: str) -> list:
    answer = prometheus.get("/api/v1/query", params={"query": query})
    assert answer.status_code == 200, f"{query}: {answer.text}"  # a syntax error is a 400
    return answer.json()["data"]["result"]


def test_every_dashboard_and_alert_query_returns_series(stack):
    _drive_the_product(stack)
    queries = _queries()
    with httpx.Client(base_url=f"http://127.0.0.1:{stack.prometheus_port}", timeout=30) as prometheus:
        empty = dict(queries) | {f"product: {name}": q for name, q in PRODUCT_EXPECTATIONS.items()}
        # The first mail waits for a worker busy with start-up jobs: the demo data's embeddings (ai
        # queue) go before the outbox relay (default queue, last in priority order).
        deadline = time.monotonic() + 600
        while empty and time.monotonic() < deadline:
            empty = {name: q for name, q in empty.items() if not _series(prometheus, q)}
            time.sleep(2)
        assert not empty, "queries without series:\n" + "\n".join(f"{n}: {q}" for n, q in empty.items())

        # Prometheus loaded the same rules and scrapes every target.
        rules = prometheus.get("/api/v1/rules").json()["data"]["groups"]
        loaded = {rule["name"] for group in rules for rule in group["rules"]}
        assert loaded == {name.removeprefix("alert ") for name in queries if name.startswith("alert ")}
        targets = prometheus.get("/api/v1/targets").json()["data"]["activeTargets"]
        assert {t["labels"]["job"]: t["health"] for t in targets} == {
            "mancrel": "up", "postgres": "up", "redis": "up", "prometheus": "up"}


def test_a_misspelt_metric_would_be_caught(stack):
    with httpx.Client(base_url=f"http://127.0.0.1:{stack.prometheus_port}", timeout=30) as prometheus:
        assert _series(prometheus, "max(mancrel_dead_letters)")
        assert not _series(prometheus, "max(mancrel_dead_leters)")
