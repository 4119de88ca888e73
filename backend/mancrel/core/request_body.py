"""Reading a webhook's raw body with a size cap: signatures are checked over these exact bytes."""

from fastapi import Request

from mancrel.core.errors import AppError


class PayloadTooLarge(AppError):
    status, title, slug = 413, "Payload too large", "payload-too-large"


async def read_limited(request: Request, limit: int, refusal: str) -> bytes:
    """The raw body, refused with 413 (`refusal` as the detail) past `limit` bytes without reading
    the rest: a declared Content-Length over the cap is refused before any byte is read."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(refusal)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(refusal)
        chunks.append(chunk)
    return b"".join(chunks)
