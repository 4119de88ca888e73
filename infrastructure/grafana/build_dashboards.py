"""Writes the Grafana dashboards in dashboards/ (run: python3 build_dashboards.py).

The JSON files are committed and provisioned as they are; this script is their source, so a
panel is one line here rather than forty in JSON. backend/tests/infrastructure checks the
files are what this script writes, and runs every query against a real Prometheus.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATASOURCE = {"type": "prometheus", "uid": "prometheus"}  # provisioning/datasources/prometheus.yml
R = "$__rate_interval"  # Grafana's rate window: at least four scrapes


def panel(title: str, *exprs: str, unit: str = "short", kind: str = "timeseries", legend: str = "",
          description: str = "") -> dict:
    targets = [{"refId": chr(65 + i), "datasource": DATASOURCE, "expr": e, "legendFormat": legend}
               for i, e in enumerate(exprs)]
    return {"type": kind, "title": title, "description": description, "datasource": DATASOURCE,
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []}, "options": {}, "targets": targets}


def dashboard(uid: str, title: str, panels: list[dict]) -> dict:
    for i, p in enumerate(panels):  # two panels a row, 8 units high
        p["id"] = i + 1
        p["gridPos"] = {"h": 8, "w": 12, "x": (i % 2) * 12, "y": (i // 2) * 8}
    return {"uid": uid, "title": title, "tags": ["mancrel"], "timezone": "browser", "schemaVersion": 39,
            "version": 1, "editable": True, "refresh": "30s", "time": {"from": "now-6h", "to": "now"},
            "templating": {"list": []}, "annotations": {"list": []}, "panels": panels}


def quantile(q: float, metric: str, by: str = "", selector: str = "") -> str:
    group = ", ".join(filter(None, ["le", by]))
    return f"histogram_quantile({q}, sum by ({group}) (rate({metric}_bucket{selector}[{R}])))"


API = dashboard("mancrel-api", "Mancrel: API", [
    panel("Requests per second by status", f"sum by (status) (rate(mancrel_http_requests_total[{R}]))",
          unit="reqps", legend="{{status}}"),
    panel("Share of requests answered 5xx",
          f'(sum(rate(mancrel_http_requests_total{{status=~"5.."}}[{R}])) or vector(0))'
          f' / sum(rate(mancrel_http_requests_total[{R}]))',
          unit="percentunit", description="Alert MancrelApiErrorRate fires above 5% for 10 minutes."),
    panel("Latency p50 / p95 / p99", *(quantile(q, "mancrel_http_request_duration_seconds") for q in (0.5, 0.95, 0.99)),
          unit="s"),
    panel("Slowest routes (p95)", f"topk(8, {quantile(0.95, 'mancrel_http_request_duration_seconds', 'route')})",
          unit="s", legend="{{route}}"),
    panel("Busiest routes", f"topk(8, sum by (route) (rate(mancrel_http_requests_total[{R}])))",
          unit="reqps", legend="{{route}}"),
    panel("Client errors (4xx) by route and status",
          f'sum by (route, status) (rate(mancrel_http_requests_total{{status=~"4.."}}[{R}]))',
          unit="reqps", legend="{{route}} {{status}}"),
    # "or vector(0)": a healthy API has no 5xx series at all; show 0 rather than "No data".
    panel("Server errors (5xx) by route",
          f'sum by (route) (rate(mancrel_http_requests_total{{status=~"5.."}}[{R}])) or vector(0)',
          unit="reqps", legend="{{route}}"),
    panel("API scrape up", 'up{job="mancrel"}', kind="stat"),
])

WORKERS = dashboard("mancrel-workers", "Mancrel: workers and queues", [
    panel("Queue depth", "max by (queue) (mancrel_queue_depth)", legend="{{queue}}",
          description="Jobs waiting in each broker queue, measured by the API at each scrape."),
    panel("Jobs per second by outcome", f"sum by (state) (rate(mancrel_tasks_total[{R}]))", unit="ops",
          legend="{{state}}"),
    panel("Throughput by task", f"sum by (task) (rate(mancrel_tasks_total[{R}]))", unit="ops", legend="{{task}}"),
    panel("Failures (retried, dead-lettered) by task",
          f'sum by (task, state) (increase(mancrel_tasks_total{{state=~"retried|dead_lettered"}}[{R}])) or vector(0)',
          legend="{{task}} {{state}}"),
    panel("Job duration p95 by task", quantile(0.95, "mancrel_task_duration_seconds", "task"), unit="s",
          legend="{{task}}"),
    panel("Dead letters waiting", "max(mancrel_dead_letters)", kind="stat",
          description="Replay or discard with `mancrel dlq` or /api/v1/dead-letters."),
    panel("Outbox backlog", "max(mancrel_outbox_backlog)",
          description="Jobs committed but not yet published; beat relays them every 5 s."),
    panel("Scheduled relay runs", f'sum(increase(mancrel_tasks_total{{task="outbox.relay"}}[{R}]))',
          description="Zero means beat or every worker is down (alert MancrelSchedulerStopped)."),
])

CATALOG = dashboard("mancrel-catalog", "Mancrel: catalogue sync", [
    panel("Freshness lag per source", "max by (source) (mancrel_catalog_freshness_seconds)", unit="s",
          legend="{{source}}", description="Seconds since the catalogue was last known in step with the shop."),
    panel("Webhook deliveries by answer",
          f'sum by (status) (rate(mancrel_http_requests_total{{route="/webhook/catalog/{{source_id}}"}}[{R}]))',
          unit="reqps", legend="{{status}}"),
    panel("Events applied per second by outcome",
          f'sum by (state) (rate(mancrel_tasks_total{{task=~"catalog.process_event|catalog.drain_events"}}[{R}]))',
          unit="ops", legend="{{state}}"),
    panel("Sync jobs by task and outcome",
          f'sum by (task, state) (increase(mancrel_tasks_total{{task=~"catalog\\\\..*"}}[{R}]))',
          legend="{{task}} {{state}}"),
    panel("Event processing time p95", quantile(0.95, "mancrel_task_duration_seconds", "task",
                                                 '{task=~"catalog\\\\..*"}'), unit="s", legend="{{task}}"),
    panel("Catalogue queue depth", 'max(mancrel_queue_depth{queue="catalog"})'),
])

INBOX = dashboard("mancrel-inbox", "Mancrel: inbox and replies", [
    # Volume: what came in (and what the junk gate and dedupe kept out), what went out.
    panel("Messages in by channel and outcome",
          f"sum by (channel_kind, outcome) (rate(mancrel_inbound_messages_total[{R}]))", unit="ops",
          legend="{{channel_kind}} {{outcome}}",
          description="accepted: a customer's message; duplicate: a provider's retry or a re-polled mail; "
                      "junk: automated mail; bounced: a bounce of our own reply."),
    panel("Replies out by channel and outcome",
          f"sum by (channel_kind, outcome) (rate(mancrel_outbound_messages_total[{R}]))", unit="ops",
          legend="{{channel_kind}} {{outcome}}"),
    # Response times, from the customer's message arriving.
    panel("Time to classify (p50 / p95)",
          *(quantile(q, "mancrel_classification_latency_seconds") for q in (0.5, 0.95)), unit="s"),
    panel("Time to a reply decision (p95 by decision)",
          quantile(0.95, "mancrel_reply_latency_seconds", "decision"), unit="s", legend="{{decision}}",
          description="From arrival to sent automatically, waiting for approval, or escalated."),
    # The automation funnel: of the messages decided, how many were answered alone.
    panel("Automation funnel (last hour)", "sum by (decision) (increase(mancrel_ai_decisions_total[1h]))",
          kind="bargauge", legend="{{decision}}",
          description="auto_send: answered alone; approval: a draft waits for a person; escalate: a person "
                      "owns it; ignore: automated mail. Shadow mode decides without sending (mode label)."),
    panel("Decisions by intent", f"sum by (intent, decision) (rate(mancrel_ai_decisions_total[{R}]))",
          unit="ops", legend="{{intent}} {{decision}}"),
    panel("Grounding failures",
          f"sum(increase(mancrel_grounding_failures_total[{R}]))",
          f'sum(increase(mancrel_grounding_failures_total[1h])) / '
          f'clamp_min(sum(increase(mancrel_ai_decisions_total{{decision!="ignore"}}[1h])), 1)',
          description="Drafts that stated a price, stock level or SKU the catalogue does not hold (A: count; "
                      "B: share of the last hour's decisions). Such a draft is never sent automatically."),
    panel("Draft reviews by people (last hour)",
          "sum by (outcome) (increase(mancrel_suggestion_reviews_total[1h]))", kind="bargauge",
          legend="{{outcome}}", description="approved as drafted, edited, or rejected."),
    panel("Escalations open and overdue", "max(mancrel_escalations_open)", "max(mancrel_escalations_overdue)",
          kind="stat", description="A: escalated conversations whose task is not done; B: those that missed a due "
                                   "time, re-routed or not (alert MancrelEscalationsOverdue)."),
    panel("Channels failing", "max by (channel, kind) (mancrel_channel_failing)", kind="stat",
          legend="{{channel}}", description="1: the channel's last error is newer than its last success (alert "
                                             "MancrelChannelDown). Settings > Channels > health shows the error."),
    panel("IMAP poll lag per channel", "max by (channel) (mancrel_imap_poll_lag_seconds)", unit="s",
          legend="{{channel}}", description="Seconds since the mailbox was last polled successfully."),
    panel("LLM calls and errors", f"sum(rate(mancrel_llm_calls_total[{R}]))",
          f"sum(rate(mancrel_llm_errors_total[{R}]))", unit="ops",
          description="The openai reply provider's calls (A) and failures (B): a failed call means no draft, "
                      "so the message goes to a person."),
    panel("LLM tokens", f"sum by (kind) (rate(mancrel_llm_tokens_total[{R}]))", legend="{{kind}}"),
    panel("Inbound email webhooks by answer",
          f'sum by (status) (rate(mancrel_http_requests_total{{route=~"/webhook/email/.*"}}[{R}]))',
          unit="reqps", legend="{{status}}"),
    panel("Channel jobs failing", f'sum by (task) (increase(mancrel_tasks_total{{task=~"channel\\\\..*|email\\\\..*",'
          f'state=~"retried|dead_lettered"}}[{R}])) or vector(0)', legend="{{task}}",
          description="A mailbox or provider refusing us (alert MancrelChannelFailing)."),
    panel("Intake, message, reply, AI and email queues",
          'max by (queue) (mancrel_queue_depth{queue=~"webhooks|messages|replies|ai|email"})',
          legend="{{queue}}"),
])

SYSTEM = dashboard("mancrel-system", "Mancrel: system", [
    panel("Targets up", "up", kind="stat", legend="{{job}}"),
    panel("PostgreSQL up", "pg_up", kind="stat"),
    panel("PostgreSQL connections by database", "sum by (datname) (pg_stat_database_numbackends)",
          legend="{{datname}}"),
    panel("PostgreSQL commits and rollbacks",
          f"sum(rate(pg_stat_database_xact_commit[{R}]))", f"sum(rate(pg_stat_database_xact_rollback[{R}]))",
          unit="ops"),
    panel("Redis up", "redis_up", kind="stat"),
    panel("Redis memory", "redis_memory_used_bytes", unit="bytes"),
    panel("Redis clients", "redis_connected_clients"),
    panel("Redis commands per second", f"sum(rate(redis_commands_processed_total[{R}]))", unit="ops"),
])

DASHBOARDS = {"mancrel-api": API, "mancrel-workers": WORKERS, "mancrel-catalog": CATALOG,
              "mancrel-inbox": INBOX, "mancrel-system": SYSTEM}


def write(folder: Path = HERE / "dashboards") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, board in DASHBOARDS.items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(board, indent=2) + "\n")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write():
        print(path)
