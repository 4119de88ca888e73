"""Request id, access log and HTTP metrics as one pure ASGI middleware (streams stay streams)."""

import json
import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mancrel.core import client_address
from mancrel.core.config import get_settings
from mancrel.core.errors import PROBLEM_JSON, internal_error_problem
from mancrel.core.logging import request_id_var
from mancrel.core.metrics import HTTP_LATENCY, HTTP_REQUESTS

logger = logging.getLogger("mancrel.access")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _route_template(scope: Scope) -> str:
    """The matched route's path template, so metrics do not explode per record id."""
    template = getattr(scope.get("route"), "path", None)
    if not template:
        return "/api/unmatched" if scope["path"].startswith("/api/") else "/other"
    if ":path}" in template:  # the SPA's catch-all
        return template
    # An included router's route knows only its own part of the path; the prefixes are
    # the leading segments of the real path.
    tail = template.strip("/").split("/")
    segments = scope["path"].rstrip("/").split("/")
    return "/".join(segments[: max(1, len(segments) - len(tail))] + tail)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Before anything reads the client address (login limits, /metrics, the access log).
        client_address.resolve(scope, get_settings().trusted_proxies)
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        status = 500
        response_started = False
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Handled here rather than by Starlette's outermost handler so the answer and
            # the log line both carry the request id.
            logger.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if response_started:
                raise
            body = json.dumps(internal_error_problem(scope["path"])).encode()
            await send_with_id({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]})
            await send_with_id({"type": "http.response.body", "body": body})
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            method = scope["method"]
            HTTP_REQUESTS.labels(method, route, str(status)).inc()
            HTTP_LATENCY.labels(method, route).observe(elapsed)
            logger.info(
                "%s %s %s", method, scope["path"], status,
                extra={"method": method, "path": scope["path"], "route": route,
                       "status": status, "duration_ms": round(elapsed * 1000, 2)},
            )
            request_id_var.reset(token)
