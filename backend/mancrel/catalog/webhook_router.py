"""`POST /webhook/catalog/{source_id}`: outside /api/v1, authenticated by signature only."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from mancrel.catalog import intake
from mancrel.catalog.dependencies import WebhookIntakeDep
from mancrel.catalog.exceptions import PayloadTooLarge

MAX_BODY_BYTES = 1024 * 1024

router = APIRouter(prefix="/webhook/catalog", tags=["webhooks"])


async def read_body(request: Request) -> bytes:
    """The raw body, refused past 1 MB without reading the rest."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge("Webhook bodies are limited to 1 MB.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise PayloadTooLarge("Webhook bodies are limited to 1 MB.")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/{source_id}", responses={401: {}, 404: {}, 413: {}, 503: {}})
async def receive_catalog_webhook(source_id: str, request: Request, desk: WebhookIntakeDep) -> JSONResponse:
    # No session here: the source comes from the intake's cache and the delivery is
    # committed by its batcher together with the others that arrived meanwhile.
    source = await desk.source(source_id)
    body = await read_body(request)
    headers = request.headers
    if intake.is_woocommerce_ping(source, headers, body):
        return JSONResponse({"status": "ping"})
    intake.verify(source, headers, body)
    delivery = intake.delivery(source, headers, body)
    if await desk.store(delivery) is intake.Outcome.duplicate:
        return JSONResponse({"status": "duplicate"})
    return JSONResponse({"status": "accepted", "event_id": str(delivery.id)})
