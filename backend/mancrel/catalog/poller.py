"""Pulling products from a source: Shopify Admin REST `products.json`, WooCommerce REST
API v3 `products`, and the generic feed.

Each pages through everything changed since a cursor (`updated_at_min` / `modified_after`
/ `updated_since`); a reconciliation pages through everything. Transient failures
(connection errors, 429, 5xx) are retried with exponential backoff and jitter before the
poll gives up. Every request goes through core.outbound: public addresses only, no redirects;
a next-page link is followed only on the poll URL's own origin (`_same_origin`).

Generic feed protocol (ours): `GET <poll_url>?updated_since=<ISO-8601>&limit=<n>` with
`Authorization: Bearer <credentials>` answers `{"products": [<data object as in the
standard webhook payload, plus "deleted": true for removals>], "next": <url or null>}`.

WooCommerce: `GET <poll_url>` (the store's `.../wp-json/wc/v3/products`) with the consumer
key and secret (credentials `ck_...:cs_...`) as HTTP Basic auth, which WooCommerce accepts
over HTTPS; `per_page=100` (its maximum) and `page=1, 2, ...` until `X-WP-TotalPages` or an
empty page. A poll adds `modified_after=<cursor - 1 s>&dates_are_gmt=true&orderby=modified
&order=asc`: WooCommerce compares strictly and to the second, so the overlap catches a
change made in the cursor's own second (the upsert guard skips what did not change).
Deletions: the listing (status `any`) leaves out trashed and deleted products, so no poll
sees one go. The `product.deleted` webhook tombstones it at once; failing that, the daily
reconciliation does, as for every kind (what a full listing no longer has is tombstoned).
A reconciliation pages `orderby=id`: a product edited meanwhile keeps its place, where
by date it would move to the end and push an unread one back onto a page already read.
Variable products: the listing gives a variation's id only, so each variable product's
`GET <poll_url>/<id>/variations` is read too (same client, credentials, retries and
paging), one variant per enabled variation; a product whose variations cannot be parsed
is skipped and stays as stored. A poll sees a variation's change because WooCommerce
saves the parent whenever a variation is saved, which moves the parent's modified time.
Webhooks carry no variations: sync.py fetches them with `include=<ids>` afterwards.
"""

import asyncio
import base64
import logging
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx

from mancrel.catalog.limits import check_product
from mancrel.catalog.models import CatalogSource, SourceKind
from mancrel.catalog.normalise import (
    MalformedPayload,
    NormalisedProduct,
    NormalisedVariant,
    product_from_shopify,
    product_from_standard,
    product_from_woocommerce,
    variants_from_woocommerce,
)
from mancrel.core import outbound
from mancrel.worker.errors import TransientError

logger = logging.getLogger("mancrel.catalog.poller")
SHOPIFY_PAGE = 250  # the Admin REST maximum
WOOCOMMERCE_PAGE = 100  # the WP REST maximum
FEED_PAGE = 1000
WOOCOMMERCE_OVERLAP = timedelta(seconds=1)
ATTEMPTS = 4
BACKOFF_BASE = 0.5
MAX_PAGES = 10_000  # a loop guard against a server whose `next` never ends


class PollError(Exception):
    """The source could not be read; the message is shown to admins."""


class StoreUnavailable(PollError, TransientError):
    """The source kept failing in a way that passes (5xx, 429, network) through every attempt:
    a job may try again later, unlike for refused credentials or a malformed answer."""


@dataclass
class Page:
    products: list[NormalisedProduct]
    skipped: list[str] = field(default_factory=list)  # reasons for items that could not be parsed


def _answer(url: str, response: httpx.Response) -> str:
    """`<url> answered <status>`, with the server's own explanation when it gave one."""
    try:
        body = response.json()
    except ValueError:
        body = None
    said = (body.get("message") or body.get("errors") or body.get("error")) if isinstance(body, dict) else None
    hint = " (the poll credentials were refused)" if response.status_code in (401, 403) else ""
    return f"{url} answered {response.status_code}{hint}" + (f": {str(said)[:300]}" if said else "")


async def _get(client: httpx.AsyncClient, url: str, *, params: dict[str, Any] | None,
               headers: dict[str, str]) -> httpx.Response:
    for attempt in range(ATTEMPTS):
        retry_after = None
        try:
            response = await client.get(url, params=params, headers=headers)
        except outbound.UnsafeURL as exc:
            raise PollError(f"Refused to fetch {url}: {exc}") from exc
        except httpx.TransportError as exc:
            reason = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code < 300:
                return response
            if response.status_code < 400:  # redirects are not followed: where they lead is unchecked
                raise PollError(f"{url} answered {response.status_code}, a redirect to "
                                f"{response.headers.get('location', '?')}: set the poll URL to the final address")
            if response.status_code != 429 and response.status_code < 500:
                raise PollError(_answer(url, response))
            reason = _answer(url, response)
            retry_after = response.headers.get("retry-after")
        if attempt == ATTEMPTS - 1:
            raise StoreUnavailable(reason)
        delay = BACKOFF_BASE * 2 ** attempt * (1 + random.random())
        if retry_after and retry_after.replace(".", "", 1).isdigit():
            delay = max(delay, min(float(retry_after), 30.0))
        logger.info("poll request failed, retrying", extra={"reason": reason, "delay": round(delay, 2)})
        await asyncio.sleep(delay)
    raise PollError("unreachable")


def _parse_all(items: Any, parse_one: Callable[[Any], NormalisedProduct]) -> Page:
    if not isinstance(items, list):
        raise PollError("the response has no product list")
    page = Page(products=[])
    for item in items:
        try:
            page.products.append(check_product(parse_one(item)))
        except MalformedPayload as exc:
            page.skipped.append(str(exc))
    return page


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise PollError(f"{response.url} did not answer JSON") from exc


def _products_field(data: Any) -> Any:
    return data.get("products") if isinstance(data, dict) else None


# After a page: the URL and params of the next one, or None when that was the last.
NextPage = Callable[[httpx.Response, Any, dict[str, Any] | None], tuple[str, dict[str, Any] | None] | None]


async def _responses(client: httpx.AsyncClient, url: str, *, params: dict[str, Any] | None,
                     headers: dict[str, str], next_page: NextPage) -> AsyncIterator[Any]:
    """Each page's JSON: fetch (with retries), yield, go on while `next_page` says so."""
    for _ in range(MAX_PAGES):
        response = await _get(client, url, params=params, headers=headers)
        data = _json(response)
        yield data
        following = next_page(response, data, params)
        if following is None:
            return
        url, params = following
    raise PollError("too many pages")


async def _paginate(client: httpx.AsyncClient, url: str, *, params: dict[str, Any] | None,
                    headers: dict[str, str], items: Callable[[Any], Any],
                    parse_one: Callable[[Any], NormalisedProduct], next_page: NextPage) -> AsyncIterator[Page]:
    """What every kind shares: the pages, their products parsed."""
    async for data in _responses(client, url, params=params, headers=headers, next_page=next_page):
        yield _parse_all(items(data), parse_one)


def _same_origin(poll_url: str, response: httpx.Response, link: str) -> str:
    """A pagination link (resolved against the page that gave it), if it stays on the poll
    URL's origin. Every page request carries the source's credentials, and the link is the
    server's to choose: a feed or shop that was taken over, or a proxy in between, could
    otherwise send them to any host it names."""
    target, origin = response.url.join(link), httpx.URL(poll_url)
    if (target.scheme, target.host, target.port) != (origin.scheme, origin.host, origin.port):
        raise PollError(f"{response.url} gave a next-page link to another origin "
                        f"({target.scheme}://{target.netloc.decode()}); "
                        "pagination is followed only on the poll URL's own scheme, host and port")
    return str(target)


def shopify_pages(client: httpx.AsyncClient, source: CatalogSource, *, token: str | None,
                  updated_since: datetime | None) -> AsyncIterator[Page]:
    params: dict[str, Any] = {"limit": SHOPIFY_PAGE}
    if updated_since:
        params["updated_at_min"] = updated_since.astimezone(UTC).isoformat()

    def next_page(response: httpx.Response, data: Any, params: dict[str, Any] | None):
        # Later pages are addressed by page_info alone; the Link URL carries it.
        url = response.links.get("next", {}).get("url")
        return (_same_origin(source.poll_url, response, url), None) if url else None

    return _paginate(client, source.poll_url, params=params,
                     headers={"X-Shopify-Access-Token": token} if token else {}, items=_products_field,
                     parse_one=lambda p: product_from_shopify(p, default_currency=source.currency),
                     next_page=next_page)


def woocommerce_keys(credentials: str) -> tuple[str, str]:
    """The consumer key and secret from `ck_...:cs_...`; ValueError says what is wrong."""
    key, _, secret = credentials.strip().partition(":")
    if not key.startswith("ck_") or not secret.startswith("cs_") or len(key) < 4 or len(secret) < 4 \
            or any(c.isspace() for c in key + secret):
        raise ValueError("must be the WooCommerce consumer key and secret as ck_...:cs_... "
                         "(WooCommerce > Settings > Advanced > REST API)")
    return key, secret


def _woocommerce_headers(token: str | None) -> dict[str, str]:
    if not token:
        return {}
    try:
        key, secret = woocommerce_keys(token)
    except ValueError as exc:
        raise PollError(f"poll credentials {exc}") from exc
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()}


def _wp_next_page(url: str) -> NextPage:
    """WP REST paging: `page` + 1 until `X-WP-TotalPages`, or an empty page when it is absent."""

    def next_page(response: httpx.Response, data: Any, params: dict[str, Any] | None):
        total = response.headers.get("x-wp-totalpages", "").strip()
        if not data or (total.isdigit() and params["page"] >= int(total)):
            return None
        return url, params | {"page": params["page"] + 1}

    return next_page


def woocommerce_pages(client: httpx.AsyncClient, source: CatalogSource, *, token: str | None,
                      updated_since: datetime | None, include: list[str] | None = None) -> AsyncIterator[Page]:
    """The store's products, variable ones with their variations; `include` asks for those ids only."""
    headers = _woocommerce_headers(token)
    params: dict[str, Any] = {"per_page": WOOCOMMERCE_PAGE, "page": 1, "orderby": "id", "order": "asc"}
    if updated_since:
        after = updated_since.astimezone(UTC) - WOOCOMMERCE_OVERLAP
        params |= {"modified_after": after.strftime("%Y-%m-%dT%H:%M:%S"), "dates_are_gmt": "true",
                   "orderby": "modified"}
    if include:
        params["include"] = ",".join(include)
    products = _paginate(client, source.poll_url, params=params, headers=headers, items=lambda data: data,
                         parse_one=lambda p: product_from_woocommerce(p, default_currency=source.currency),
                         next_page=_wp_next_page(source.poll_url))
    return _with_variations(client, source, headers, products)


async def _with_variations(client: httpx.AsyncClient, source: CatalogSource, headers: dict[str, str],
                           pages: AsyncIterator[Page]) -> AsyncIterator[Page]:
    async for page in pages:
        complete = []
        for product in page.products:
            if product.needs_variants:
                try:
                    product.variants = await woocommerce_variations(client, source, product.external_id,
                                                                    headers=headers)
                    check_product(product)
                except MalformedPayload as exc:  # left as stored rather than written without a variation
                    page.skipped.append(f"product {product.external_id}: {exc}")
                    continue
                product.needs_variants = False
            complete.append(product)
        page.products = complete
        yield page


async def woocommerce_variations(client: httpx.AsyncClient, source: CatalogSource, product_id: str, *,
                                 headers: dict[str, str]) -> list[NormalisedVariant]:
    """`GET <poll_url>/<id>/variations`, every page; MalformedPayload when one cannot be read."""
    base = httpx.URL(source.poll_url)
    url = str(base.copy_with(path=f"{base.path.rstrip('/')}/{quote(product_id, safe='')}/variations"))
    items: list[Any] = []
    async for data in _responses(client, url, params={"per_page": WOOCOMMERCE_PAGE, "page": 1}, headers=headers,
                                 next_page=_wp_next_page(url)):
        if not isinstance(data, list):
            raise PollError(f"{url} did not answer a list of variations")
        items += data
    return variants_from_woocommerce(items, default_currency=source.currency)


def feed_pages(client: httpx.AsyncClient, source: CatalogSource, *, token: str | None,
               updated_since: datetime | None) -> AsyncIterator[Page]:
    params: dict[str, Any] = {"limit": FEED_PAGE}
    if updated_since:
        params["updated_since"] = updated_since.astimezone(UTC).isoformat()

    def parse(item: Any) -> NormalisedProduct:
        deleted = isinstance(item, dict) and item.get("deleted") is True
        return product_from_standard(item, deleted=deleted, default_currency=source.currency)

    def next_page(response: httpx.Response, data: Any, params: dict[str, Any] | None):
        url = data.get("next") if isinstance(data, dict) else None
        if url is not None and not isinstance(url, str):
            raise PollError(f"{response.url} answered a `next` that is not a URL")
        return (_same_origin(source.poll_url, response, url), None) if url else None

    return _paginate(client, source.poll_url, params=params,
                     headers={"Authorization": f"Bearer {token}"} if token else {}, items=_products_field,
                     parse_one=parse, next_page=next_page)


PAGERS = {SourceKind.shopify: shopify_pages, SourceKind.woocommerce: woocommerce_pages,
          SourceKind.feed: feed_pages}


def pages(client: httpx.AsyncClient, source: CatalogSource, *, token: str | None,
          updated_since: datetime | None) -> AsyncIterator[Page]:
    pager = PAGERS.get(source.kind)
    if pager is None:
        raise PollError(f"{source.kind} sources are not polled")
    return pager(client, source, token=token, updated_since=updated_since)


def http_client() -> httpx.AsyncClient:
    return outbound.client(timeout=httpx.Timeout(30.0, connect=5.0), headers={"User-Agent": "Mancrel catalogue sync"})
