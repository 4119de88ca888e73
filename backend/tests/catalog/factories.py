"""Catalogue test helpers: sources, signed deliveries, and a stand-in shop server."""

import base64
import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog import source_service
from mancrel.catalog.models import CatalogEvent, Product
from mancrel.catalog.schemas import SourceCreate
from mancrel.catalog.signatures import body_hmac_base64, standard_signature

STANDARD_SECRET = "whsec_" + base64.b64encode(b"catalogue-test-secret-0123456789").decode()
SHOP_SECRET = "shpss_test_client_secret"
_sequence = itertools.count(1)


async def make_source(session: AsyncSession, *, kind: str = "standard", secret: str | None = None,
                      poll_url: str | None = None, currency: str = "EUR", **extra: Any):
    if secret is None:
        secret = STANDARD_SECRET if kind in ("standard", "feed") else SHOP_SECRET
    data = SourceCreate(name=f"Source {next(_sequence)}", kind=kind, webhook_secret=secret, poll_url=poll_url,
                        currency=currency, **extra)
    source = await source_service.create(session, data=data, actor=None)
    await session.flush()
    return source


def standard_payload(external_id: str = "p-1", *, type_: str = "product.updated", title: str = "Merino Hiking Socks",
                     updated_at: str = "2026-11-27T10:00:00Z", price: str = "18.00", stock: int = 10,
                     sku: str = "SOCK-MER-M") -> dict:
    return {"type": type_, "timestamp": updated_at, "data": {
        "id": external_id, "title": title, "description": "<p>Warm &amp; <b>soft</b></p>", "vendor": "Alpine Loom",
        "status": "active", "updated_at": updated_at,
        "variants": [{"id": f"{external_id}-v1", "sku": sku, "price": price, "currency": "EUR", "stock": stock,
                      "options": {"size": "M"}}]}}


def standard_headers(body: bytes, *, secret: str = STANDARD_SECRET, msg_id: str | None = None,
                     timestamp: int | None = None) -> dict[str, str]:
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": standard_signature(secret, msg_id, timestamp, body),
            "content-type": "application/json"}


def shopify_product(product_id: int = 632910392, *, title: str = "Merino Hiking Socks",
                    updated_at: str = "2026-11-27T10:00:00-05:00", price: str = "18.00", stock: int = 12) -> dict:
    return {"id": product_id, "title": title, "body_html": "<strong>Merino</strong> socks",
            "vendor": "Alpine Loom", "product_type": "Socks", "handle": "merino-hiking-socks", "status": "active",
            "tags": "merino, hiking", "updated_at": updated_at,
            "variants": [{"id": product_id * 10 + 1, "sku": f"SKU-{product_id}", "price": price,
                          "compare_at_price": None, "inventory_quantity": stock, "option1": "M",
                          "option2": None, "option3": None, "title": "M"}],
            "images": [{"src": "https://cdn.example.com/socks.jpg"}]}


def woo_product(product_id: int = 99, *, name: str = "Trail Runner Shoe", modified_gmt: str = "2026-11-27T10:00:00",
                price: str = "119.00", stock: int = 3, status: str = "publish") -> dict:
    """A simple product as WooCommerce's REST API v3 returns it (times without offset; *_gmt are UTC)."""
    return {"id": product_id, "name": name, "slug": f"product-{product_id}", "type": "simple", "status": status,
            "description": "<p>Light and <b>grippy</b></p>", "short_description": "", "sku": f"WOO-{product_id}",
            "price": price, "regular_price": "129.00", "sale_price": price, "stock_quantity": stock,
            "date_created_gmt": "2026-01-05T08:00:00", "date_modified_gmt": modified_gmt,
            "tags": [{"id": 1, "name": "trail"}], "images": [{"src": "https://cdn.example.com/shoe.jpg"}],
            "attributes": []}


def shopify_headers(body: bytes, *, topic: str = "products/update", secret: str = SHOP_SECRET,
                    webhook_id: str | None = None, triggered_at: str = "2026-11-27T15:00:00Z") -> dict[str, str]:
    return {"X-Shopify-Hmac-Sha256": body_hmac_base64(secret, body), "X-Shopify-Topic": topic,
            "X-Shopify-Shop-Domain": "trailhead.myshopify.com", "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
            "X-Shopify-Event-Id": str(uuid.uuid4()), "X-Shopify-Triggered-At": triggered_at,
            "content-type": "application/json"}


def woo_headers(body: bytes, *, topic: str = "product.updated", secret: str = SHOP_SECRET,
                delivery_id: str | None = None) -> dict[str, str]:
    return {"X-WC-Webhook-Signature": body_hmac_base64(secret, body), "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-ID": "7", "X-WC-Webhook-Delivery-ID": delivery_id or str(next(_sequence)),
            "content-type": "application/json"}


def dumps(payload: Any) -> bytes:
    return json.dumps(payload).encode()


async def count_events(session: AsyncSession, source_id: uuid.UUID) -> int:
    return await session.scalar(select(func.count()).select_from(CatalogEvent)
                                .where(CatalogEvent.source_id == source_id))


async def count_products(session: AsyncSession, source_id: uuid.UUID) -> int:
    return await session.scalar(select(func.count()).select_from(Product).where(Product.source_id == source_id))


async def events_of(session: AsyncSession, source_id: uuid.UUID) -> list[CatalogEvent]:
    return list(await session.scalars(select(CatalogEvent).where(CatalogEvent.source_id == source_id)
                                      .order_by(CatalogEvent.received_at).execution_options(populate_existing=True)))


Handler = Callable[[str, dict[str, list[str]], dict[str, str]], tuple[int, dict[str, str], Any]]


class StandInServer:
    """A local HTTP server in a thread: `handler(path, query, headers) -> (status, headers, json)`.
    Records every request so tests can assert what our client asked for."""

    def __init__(self, handler: Handler) -> None:
        self.requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.requests.append((parts.path, query, headers))
                status, extra_headers, payload = handler(parts.path, query, headers)
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in extra_headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "StandInServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
