"""Deployment files cannot be run here (no Docker engine, no Grafana): parse them and check
they refer to things that exist."""

import json
import re
from pathlib import Path

import yaml
from prometheus_client import REGISTRY

ROOT = Path(__file__).resolve().parents[2]


def _exported_metric_names() -> set[str]:
    """Every series name registered once the whole app and every task module are imported."""
    import importlib

    import mancrel.main  # noqa: F401  (imports every router and its metrics)
    from mancrel.worker.app import TASK_MODULES

    for module in TASK_MODULES:
        importlib.import_module(module)
    return set(REGISTRY._names_to_collectors)


def test_compose_runs_every_process_against_postgres_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"api", "worker", "beat", "postgres", "redis"} <= services.keys()
    assert "pgvector" in services["postgres"]["image"]
    for name in ("api", "worker", "beat"):
        assert services[name]["command"][:2] == ["mancrel", {"api": "serve"}.get(name, name)]


def test_dashboards_and_alerts_query_metrics_the_code_exports():
    exported = _exported_metric_names()
    exprs = []
    for dashboard in (ROOT / "infrastructure/grafana/dashboards").glob("*.json"):
        exprs += [t["expr"] for p in json.loads(dashboard.read_text())["panels"] for t in p["targets"]]
    alerts = yaml.safe_load((ROOT / "infrastructure/prometheus/alerts.yml").read_text())
    exprs += [rule["expr"] for group in alerts["groups"] for rule in group["rules"]]
    used = {name for expr in exprs for name in re.findall(r"\bmancrel_[a-z_]+", expr)}
    assert used, "no metric queried"
    assert used <= exported, f"queried but not exported: {used - exported}"


def test_prometheus_scrapes_the_api():
    config = yaml.safe_load((ROOT / "infrastructure/prometheus/prometheus.yml").read_text())
    job = config["scrape_configs"][0]
    assert job["metrics_path"] == "/metrics"
