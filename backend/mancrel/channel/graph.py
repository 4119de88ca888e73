"""Meta's Graph API, as the Meta channels' jobs call it: JSON requests with the channel's bearer
token, media downloads with a size cap, and Meta's errors sorted into what a job does next.

`graph_base_url` is an admin's setting, so every call goes through core/outbound's client
(public addresses only, no redirects): it cannot be pointed at the server's own network.
"""

from dataclasses import dataclass
from typing import Any

import httpx

from mancrel.channel.schemas import GRAPH_BASE_URL
from mancrel.core import outbound

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
TOKEN_ERROR_CODES = {190}  # OAuthException: the access token expired, was revoked or is wrong


def base_url(settings: dict | None) -> str:
    """The Graph API a channel calls: its admin's `graph_base_url`, else Meta's."""
    return str((settings or {}).get("graph_base_url") or GRAPH_BASE_URL)


class GraphError(Exception):
    """Meta answered with an error (or not at all)."""

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None,
                 transient: bool = False, sent: bool = False) -> None:
        super().__init__(message)
        self.status, self.code, self.transient = status, code, transient
        # True when the request may have reached Meta (a timeout while reading its answer):
        # sending again could send twice.
        self.sent = sent

    @property
    def token_rejected(self) -> bool:
        return self.status == 401 or self.code in TOKEN_ERROR_CODES


@dataclass(frozen=True)
class Media:
    content: bytes | None  # None when larger than the cap: the metadata is kept, not the bytes
    size: int
    mime_type: str


def _error(response: httpx.Response) -> GraphError:
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    text = error.get("message") or response.reason_phrase or "error"
    transient = response.status_code >= 500 or response.status_code == 429 or bool(error.get("is_transient"))
    return GraphError(f"Graph API {response.status_code}" + (f" (code {code})" if code else "") + f": {text}",
                      status=response.status_code, code=code, transient=transient)


async def call(method: str, base_url: str, path: str, *, token: str, json: dict | None = None,
               params: dict | None = None) -> dict[str, Any]:
    """One Graph API request; its JSON answer, or GraphError."""
    return await call_url(method, f"{base_url.rstrip('/')}/{path.lstrip('/')}", token=token, json=json, params=params)


async def call_url(method: str, url: str, *, token: str, json: dict | None = None,
                   params: dict | None = None) -> dict[str, Any]:
    """As `call`, at a whole URL (a list's `paging.next`, which Meta gives complete)."""
    try:
        async with outbound.client(timeout=TIMEOUT) as http:
            response = await http.request(method, url, json=json, params=params,
                                          headers={"Authorization": f"Bearer {token}"})
    except (httpx.ConnectError, httpx.ConnectTimeout, outbound.UnsafeURL) as exc:
        # Nothing reached Meta: safe to try again later (an unsafe URL waits for an admin's fix).
        raise GraphError(f"Graph API unreachable: {exc}", transient=True) from exc
    except httpx.HTTPError as exc:
        raise GraphError(f"Graph API did not answer: {exc}", transient=True, sent=True) from exc
    if response.status_code >= 400:
        raise _error(response)
    try:
        answer = response.json()
    except ValueError as exc:
        raise GraphError("Graph API answered with something that is not JSON", status=response.status_code) from exc
    return answer if isinstance(answer, dict) else {}


async def download(url: str, *, token: str | None, cap: int, declared_size: int | None = None) -> Media:
    """The file at `url` (a WhatsApp media URL wants the bearer token; Messenger's CDN links do not),
    read up to `cap` bytes: a bigger file keeps only its size and type."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        async with outbound.client(timeout=TIMEOUT) as http, http.stream("GET", url, headers=headers) as response:
            if response.status_code >= 400:
                await response.aread()
                raise _error(response)
            mime = response.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
            if declared_size is not None and declared_size > cap:
                return Media(None, declared_size, mime)
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    return Media(None, int(response.headers.get("content-length") or size), mime)
                chunks.append(chunk)
            return Media(b"".join(chunks), size, mime)
    except (httpx.HTTPError, outbound.UnsafeURL) as exc:
        raise GraphError(f"media download failed: {exc}", transient=True) from exc
