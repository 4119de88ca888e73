"""`/webhook/meta/{channel_id}`: Meta's subscription handshake (GET) and its signed deliveries
(POST) for WhatsApp, Messenger and Lead Ads channels. Outside /api/v1: Meta signs, it does not sign in."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from mancrel.channel import meta
from mancrel.channel.intake import MetaIntake, Outcome
from mancrel.core.db import get_engine
from mancrel.core.request_body import read_limited

# Meta's deliveries are small JSON (ids and text; media comes by id): a generous cap.
MAX_BODY_BYTES = 1024 * 1024

router = APIRouter(prefix="/webhook/meta", tags=["webhooks"])
_intake: MetaIntake | None = None


async def meta_intake() -> MetaIntake:
    """The process's intake (one channel cache, one batcher), made on first use."""
    global _intake
    if _intake is None:
        _intake = MetaIntake(lambda: get_engine().connect())
    return _intake


async def _desk(request: Request) -> MetaIntake:
    make_intake = request.app.dependency_overrides.get(meta_intake, meta_intake)
    return await make_intake()


@router.get("/{channel_id}", response_class=PlainTextResponse, responses={403: {}, 404: {}})
async def verify_meta_webhook(channel_id: str, request: Request) -> PlainTextResponse:
    """Meta's verification request when an admin subscribes the callback: the challenge, as plain text."""
    channel = await (await _desk(request)).channel(channel_id)
    return PlainTextResponse(meta.handshake(request.query_params, channel.secrets.get("verify_token")))


@router.post("/{channel_id}", responses={400: {}, 401: {}, 404: {}, 413: {}, 503: {}})
async def receive_meta_webhook(channel_id: str, request: Request) -> JSONResponse:
    desk = await _desk(request)
    channel = await desk.channel(channel_id)
    body = await read_limited(request, MAX_BODY_BYTES, "Meta deliveries are limited to 1 MB.")
    deliveries = desk.deliveries(channel, request.headers, body)
    # One batch commit for all of a delivery's items: they queue together in the batcher.
    outcomes = await asyncio.gather(*(desk.store(d) for d in deliveries))
    stored = sum(1 for o in outcomes if o is Outcome.stored)
    return JSONResponse({"status": "accepted", "stored": stored, "duplicates": len(outcomes) - stored})


async def _serve_lean(request: Request) -> JSONResponse:
    # As the email webhook does: without FastAPI's per-request machinery on the hot path; the
    # FastAPI route above describes the same endpoint in OpenAPI and runs the same handler.
    request.scope["route"] = lean_route
    return await receive_meta_webhook(request.path_params["channel_id"], request)


lean_route = Route(f"{router.prefix}/{{channel_id}}", _serve_lean, methods=["POST"])
