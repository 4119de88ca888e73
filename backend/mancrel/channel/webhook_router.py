"""`POST /webhook/email/{channel_id}`: outside /api/v1, authenticated by the provider's signature
(Mailgun) or the basic auth in the URL (Postmark, SendGrid)."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.routing import Route

from mancrel.channel.intake import EmailIntake, Outcome
from mancrel.core import product_metrics
from mancrel.core.db import get_engine
from mancrel.core.request_body import read_limited

MAX_BODY_BYTES = 25 * 1024 * 1024  # the providers' own limit for a mail with its attachments

router = APIRouter(prefix="/webhook/email", tags=["webhooks"])
_intake: EmailIntake | None = None


async def email_intake() -> EmailIntake:
    """The process's intake (one channel cache, one batcher), made on first use."""
    global _intake
    if _intake is None:
        _intake = EmailIntake(lambda: get_engine().connect())
    return _intake


async def read_body(request: Request) -> bytes:
    return await read_limited(request, MAX_BODY_BYTES, "Inbound mail is limited to 25 MB.")


@router.post("/{channel_id}", responses={400: {}, 401: {}, 404: {}, 406: {}, 413: {}, 503: {}})
async def receive_email_webhook(channel_id: str, request: Request) -> JSONResponse:
    make_intake = request.app.dependency_overrides.get(email_intake, email_intake)
    desk: EmailIntake = await make_intake()
    # No session here: the channel comes from the cache and the delivery is committed by the
    # batcher together with the others that arrived meanwhile.
    channel = await desk.channel(channel_id)
    body = await read_body(request)
    delivery = desk.delivery(channel, request.headers, body)
    if await desk.store(delivery) is Outcome.duplicate:
        product_metrics.inbound("email", None)  # a provider's retry, acknowledged and dropped
        return JSONResponse({"status": "duplicate"})
    return JSONResponse({"status": "accepted", "event_id": str(delivery.id)})


async def _serve_lean(request: Request) -> JSONResponse:
    # Without FastAPI's per-request machinery (dependency solving, exit stacks), as the
    # catalogue's webhook does (bench/catalog: half the ack p99 at high rates). Errors still
    # become problem+json through the app's exception handlers.
    # A plain Starlette route leaves scope["route"] unset, and the metrics middleware would
    # label every delivery "/other"; name the template as FastAPI's routes do.
    request.scope["route"] = lean_route
    return await receive_email_webhook(request.path_params["channel_id"], request)


# Served by this lean route, placed first in the app (main.py); the FastAPI route above stays
# for the OpenAPI description of the same endpoint and runs the same handler.
lean_route = Route(f"{router.prefix}/{{channel_id}}", _serve_lean, methods=["POST"])
