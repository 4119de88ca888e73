"""Prometheus metrics.

Several processes (api, Celery worker children, beat) record metrics, so when
PROMETHEUS_MULTIPROC_DIR is set (`mancrel run` sets it) prometheus-client's multiprocess
mode writes each process's samples to files in that folder and `/metrics` on the API
aggregates them all. Without it, `/metrics` shows this process only.
"""

import hmac
import ipaddress
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from starlette.requests import Request

from mancrel.core.client_address import FORWARDED_UNTRUSTED
from mancrel.core.config import get_settings
from mancrel.core.errors import Forbidden

HTTP_REQUESTS = Counter(
    "mancrel_http_requests_total", "HTTP requests by route and status", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "mancrel_http_request_duration_seconds",
    "HTTP request latency by route",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def render_metrics() -> tuple[bytes, str]:
    """The exposition text for `/metrics` and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = DEFAULT_REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST


def scrape_allowed(client_host: str | None, authorization: str | None, *, forwarded_untrusted: bool) -> bool:
    """May this caller read /metrics? From MANCREL_METRICS_ALLOWED_NETWORKS, or with the token.

    A request that came through a proxy not in MANCREL_TRUSTED_PROXIES has an unknown origin
    (nginx on the same host makes every outside caller look like loopback), so only the
    token lets it in.
    """
    settings = get_settings()
    token = settings.metrics_token
    if token and authorization:
        scheme, _, presented = authorization.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode()):
            return True
    if forwarded_untrusted or not client_host:
        return False
    try:
        address = ipaddress.ip_address(client_host)
    except ValueError:
        return False
    return any(address in network for network in settings.metrics_allowed_networks)


def ensure_scrape_allowed(request: Request) -> None:
    """403 problem+json for a caller that may not read /metrics."""
    if not scrape_allowed(request.client.host if request.client else None,
                          request.headers.get("authorization"),
                          forwarded_untrusted=bool(request.scope.get(FORWARDED_UNTRUSTED))):
        raise Forbidden("Metrics are open to the addresses in MANCREL_METRICS_ALLOWED_NETWORKS "
                        "or to callers presenting MANCREL_METRICS_TOKEN as a bearer token.")
