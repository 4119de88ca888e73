"""Pulling products from a source: Shopify Admin REST `products.json` and the generic feed.

Both page through everything changed since a cursor (`updated_at_min` / `updated_since`);
a reconciliation pages through everything. Transient failures (connection errors, 429,
5xx) are retried with exponential backoff and jitter before the poll gives up.

Generic feed protocol (ours): `GET <poll_url>?updated_since=<ISO-8601>&limit=<n>` with
`Authorization: Bearer <credentials>` answers `{"products": [<data object as in the
standard webhook payload, plus "deleted": true for removals>], "next": <url or null>}`.
"""

import asyncio
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from mancrel.catalog.models import CatalogSource, SourceKind
from mancrel.catalog.normalise import (
    MalformedPayload,
    NormalisedProduct,
    product_from_shopify,
    product_from_standard,
)

logger = logging.getLogger("mancrel.catalog.poller")
SHOPIFY_PAGE = 250  # the Admin REST maximum
FEED_PAGE = 1000
ATTEMPTS = 4
BACKOFF_BASE = 0.5
MAX_PAGES = 10_000  # a loop guard against a server whose `next` never ends


class PollError(Exception):
    """The source could not be read; the message is shown to admins."""


@dataclass
class Page:
    products: list[NormalisedProduct]
    skipped: list[str] = field(default_factory=list)  # reasons for items that could not be parsed


async def _get(client: httpx.AsyncClient, url: str, *, params: dict[str, Any] | None,
               headers: dict[str, str]) -> httpx.Response:
    for attempt in range(ATTEMPTS):
        retry_after = None
        try:
            response = await client.get(url, params=params, headers=headers)
        except httpx.TransportError as exc:
            reason = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code < 400:
                return response
            if response.status_code != 429 and response.status_code < 500:
                raise PollError(f"{url} answered {response.status_code}")
            reason = f"{url} answered {response.status_code}"
            retry_after = response.headers.get("retry-after")
        if attempt == ATTEMPTS - 1:
            raise PollError(reason)
        delay = BACKOFF_BASE * 2 ** attempt * (1 + random.random())
        if retry_after and retry_after.replace(".", "", 1).isdigit():
            delay = max(delay, min(float(retry_after), 30.0))
        logger.info("poll request failed, retrying", extra={"reason": reason, "delay": round(delay, 2)})
        await asyncio.sleep(delay)
    raise PollError("unreachable")


def _parse_all(items: Any, parse_one) -> Page:
    if not isinstance(items, list):
        raise PollError("the response has no product list")
    page = Page(products=[])
    for item in items:
        try:
            page.products.append(parse_one(item))
        except MalformedPayload as exc:
            page.skipped.append(str(exc))
    return page


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError as exc:
        raise PollError(f"{response.url} did not answer JSON") from exc
    if not isinstance(data, dict):
        raise PollError(f"{response.url} did not answer a JSON object")
    return data


async def shopify_pages(client: httpx.AsyncClient, source: CatalogSource, *, token: str | None,
                        updated_since: datetime | None) -> AsyncIterator[Page]:
    headers = {"X-Shopify-Access-Token": token} if token else {}
    params: dict[str, Any] | None = {"limit": SHOPIFY_PAGE}
    if updated_since:
        params["updated_at_min"] = updated_since.astimezone(UTC).isoformat()
    url: str | None = source.poll_url
    for _ in range(MAX_PAGES):
        response = await _get(client, url, params=params, headers=headers)
        yield _parse_all(_json(response).get("products"),
                         lambda p: product_from_shopify(p, default_currency=source.currency))
        # Later pages are addressed by page_info alone; the Link URL carries it.
        url, params = response.links.get("next", {}).get("url"), None
        if not url:
            return
    raise PollError("too many pages")


async def feed_pages(client: httpx.AsyncClient, source: CatalogSource, *, token: str | None,
                     updated_since: datetime | None) -> AsyncIterator[Page]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    params: dict[str, Any] | None = {"limit": FEED_PAGE}
    if updated_since:
        params["updated_since"] = updated_since.astimezone(UTC).isoformat()

    def parse(item: Any) -> NormalisedProduct:
        deleted = isinstance(item, dict) and item.get("deleted") is True
        return product_from_standard(item, deleted=deleted, default_currency=source.currency)

    url: str | None = source.poll_url
    for _ in range(MAX_PAGES):
        data = _json(await _get(client, url, params=params, headers=headers))
        yield _parse_all(data.get("products"), parse)
        url, params = data.get("next"), None
        if not url:
            return
    raise PollError("too many pages")


def pages(client: httpx.AsyncClient, source: CatalogSource, *, token: str | None,
          updated_since: datetime | None) -> AsyncIterator[Page]:
    if source.kind == SourceKind.shopify:
        return shopify_pages(client, source, token=token, updated_since=updated_since)
    if source.kind == SourceKind.feed:
        return feed_pages(client, source, token=token, updated_since=updated_since)
    raise PollError(f"{source.kind} sources are not polled")


def http_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=5.0), follow_redirects=False,
                             headers={"User-Agent": "Mancrel catalogue sync"})
