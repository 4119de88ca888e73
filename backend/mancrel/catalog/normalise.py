"""Each source kind's product shape parsed into one normalised product.

Parsers raise `MalformedPayload` with a reason an admin can act on; nothing is written
for such a payload.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from html import unescape
from html.parser import HTMLParser
from typing import Any

from mancrel.catalog.models import ProductStatus, SourceKind

STANDARD_TYPES = {"product.created": False, "product.updated": False, "product.deleted": True}
SHOPIFY_TOPICS = {"products/create": False, "products/update": False, "products/delete": True}
WOO_TOPICS = {"product.created": False, "product.updated": False, "product.deleted": True,
              "product.restored": False}
WOO_STATUS = {"publish": ProductStatus.active, "draft": ProductStatus.draft, "pending": ProductStatus.draft,
              "private": ProductStatus.archived, "trash": ProductStatus.archived}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_PRICE = Decimal("999999999999.99")


class MalformedPayload(ValueError):
    """The delivery cannot become a product; the message says why."""


@dataclass
class NormalisedVariant:
    external_id: str
    price: Decimal
    currency: str
    sku: str | None = None
    title: str | None = None
    compare_at_price: Decimal | None = None
    stock: int | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class NormalisedProduct:
    external_id: str
    source_updated_at: datetime
    deleted: bool = False
    title: str = ""
    description: str = ""
    vendor: str | None = None
    product_type: str | None = None
    tags: list[str] = field(default_factory=list)
    status: str = ProductStatus.active
    images: list[str] = field(default_factory=list)
    variants: list[NormalisedVariant] = field(default_factory=list)
    # The source lists the variants apart (WooCommerce variations): `variants` is a stand-in.
    needs_variants: bool = False


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "br", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(value: Any) -> str:
    """Plain text from a shop's HTML description: tags gone, entities decoded, blank runs folded."""
    if not value:
        return ""
    extractor = _TextExtractor()
    extractor.feed(str(value))
    extractor.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in unescape("".join(extractor.parts)).split("\n"))
    return "\n".join(line for line in lines if line)


def parse_time(value: Any, what: str) -> datetime:
    if not isinstance(value, str) or not value:
        raise MalformedPayload(f"{what} is missing")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        # WooCommerce's *_gmt fields carry no offset but are UTC.
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except ValueError as exc:
        raise MalformedPayload(f"{what} is not an ISO-8601 time: {value[:40]!r}") from exc
    except OverflowError as exc:  # e.g. year 1 at +01:00 is before Python's first day in UTC
        raise MalformedPayload(f"{what} is outside the years 1 to 9999 in UTC: {value[:40]!r}") from exc


def _external_id(value: Any, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
        raise MalformedPayload(f"{what} must be a string or an integer")
    # Never cut short: two long ids sharing a prefix would become one product.
    return str(value).strip()


def _money(value: Any, what: str, *, required: bool = True) -> Decimal | None:
    if value in (None, "") and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise MalformedPayload(f"{what} must be a decimal string")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise MalformedPayload(f"{what} is not a number: {str(value)[:40]!r}") from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_PRICE:
        raise MalformedPayload(f"{what} is out of range: {value}")
    return amount.quantize(Decimal("0.01"))


def _stock(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedPayload(f"{what} must be an integer")
    return value


def _currency(value: Any, default: str) -> str:
    currency = (value or default)
    if not isinstance(currency, str) or not _CURRENCY.match(currency.upper()):
        raise MalformedPayload(f"currency must be an ISO 4217 code, got {str(currency)[:10]!r}")
    return currency.upper()


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip()[:200] for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [str(t.get("name") if isinstance(t, dict) else t).strip()[:200] for t in value if t]
    raise MalformedPayload("tags must be a list or a comma-separated string")


def _images(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(i.get("src") if isinstance(i, dict) else i) for i in value if i][:50]


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedPayload(f"{what} must be a JSON object")
    return value


def _load_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:  # bad JSON or UTF-8, or an integer past Python's 4,300 digits
        raise MalformedPayload(f"body is not valid JSON: {str(exc)[:200]}") from exc
    except RecursionError as exc:
        raise MalformedPayload("body is nested too deeply") from exc


def _status(value: Any) -> str:
    if value in (None, ""):
        return ProductStatus.active
    if value not in set(ProductStatus):
        raise MalformedPayload(f"status must be active, draft or archived, got {str(value)[:20]!r}")
    return str(value)


def _variants(items: Any, parse_one, what: str = "variants") -> list[NormalisedVariant]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise MalformedPayload(f"{what} must be a list")
    return [parse_one(_object(v, f"{what}[{i}]"), i) for i, v in enumerate(items)]


def product_from_standard(data: Any, *, deleted: bool, default_currency: str) -> NormalisedProduct:
    """The `data` object of our own payload (Standard Webhooks sources and the generic feed)."""
    data = _object(data, "data")
    product = NormalisedProduct(external_id=_external_id(data.get("id"), "data.id"),
                                source_updated_at=parse_time(data.get("updated_at"), "data.updated_at"),
                                deleted=deleted)
    if deleted:
        return product

    def variant(v: dict[str, Any], i: int) -> NormalisedVariant:
        where = f"data.variants[{i}]"
        options = v.get("options") or {}
        if not isinstance(options, dict):
            raise MalformedPayload(f"{where}.options must be an object")
        return NormalisedVariant(external_id=_external_id(v.get("id"), f"{where}.id"),
                                 sku=(str(v["sku"])[:200] if v.get("sku") else None), title=v.get("title"),
                                 price=_money(v.get("price"), f"{where}.price"),
                                 compare_at_price=_money(v.get("compare_at_price"), f"{where}.compare_at_price",
                                                         required=False),
                                 currency=_currency(v.get("currency"), default_currency),
                                 stock=_stock(v.get("stock"), f"{where}.stock"), options=options)

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise MalformedPayload("data.title is missing")
    product.title = title.strip()[:500]
    product.description = html_to_text(data.get("description"))
    product.vendor = data.get("vendor")
    product.product_type = data.get("type") or data.get("product_type")
    product.tags = _tags(data.get("tags"))
    product.status = _status(data.get("status"))
    product.images = _images(data.get("images"))
    product.variants = _variants(data.get("variants"), variant, "data.variants")
    return product


def parse_standard(body: bytes, *, default_currency: str) -> NormalisedProduct:
    payload = _object(_load_json(body), "payload")
    kind = payload.get("type")
    if kind not in STANDARD_TYPES:
        raise MalformedPayload(f"type must be one of {', '.join(STANDARD_TYPES)}, got {str(kind)[:40]!r}")
    return product_from_standard(payload.get("data"), deleted=STANDARD_TYPES[kind],
                                 default_currency=default_currency)


def product_from_shopify(data: Any, *, default_currency: str) -> NormalisedProduct:
    """A Shopify REST product (webhook body or an item of products.json)."""
    data = _object(data, "product")

    def variant(v: dict[str, Any], i: int) -> NormalisedVariant:
        where = f"variants[{i}]"
        options = {f"option{n}": v[f"option{n}"] for n in (1, 2, 3) if v.get(f"option{n}")}
        return NormalisedVariant(external_id=_external_id(v.get("id"), f"{where}.id"),
                                 sku=(str(v["sku"])[:200] if v.get("sku") else None), title=v.get("title"),
                                 price=_money(v.get("price"), f"{where}.price"),
                                 compare_at_price=_money(v.get("compare_at_price"), f"{where}.compare_at_price",
                                                         required=False),
                                 currency=default_currency,
                                 stock=_stock(v.get("inventory_quantity"), f"{where}.inventory_quantity"),
                                 options=options)

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise MalformedPayload("title is missing")
    return NormalisedProduct(
        external_id=_external_id(data.get("id"), "id"),
        source_updated_at=parse_time(data.get("updated_at"), "updated_at"),
        title=title.strip()[:500], description=html_to_text(data.get("body_html")),
        vendor=data.get("vendor"), product_type=data.get("product_type") or None,
        tags=_tags(data.get("tags")), status=_status(data.get("status")), images=_images(data.get("images")),
        variants=_variants(data.get("variants"), variant))


def parse_shopify(body: bytes, *, topic: str | None, triggered_at: datetime | None,
                  received_at: datetime, default_currency: str) -> NormalisedProduct:
    if topic not in SHOPIFY_TOPICS:
        raise MalformedPayload(f"X-Shopify-Topic {str(topic)[:40]!r} is not a product topic")
    payload = _object(_load_json(body), "payload")
    if SHOPIFY_TOPICS[topic]:
        # A delete carries only the id: its time is when Shopify says it happened.
        return NormalisedProduct(external_id=_external_id(payload.get("id"), "id"),
                                 source_updated_at=triggered_at or received_at, deleted=True)
    return product_from_shopify(payload, default_currency=default_currency)


def _woo_options(attributes: Any) -> dict[str, Any]:
    return {a["name"]: a.get("option") for a in attributes or []
            if isinstance(a, dict) and a.get("name") and a.get("option")}


def _woo_variant(data: dict[str, Any], external_id: str, where: str, *, default_currency: str) -> NormalisedVariant:
    """What one WooCommerce item sells at: a simple product itself, or one variation."""
    regular = _money(data.get("regular_price"), f"{where}regular_price", required=False)
    price = _money(data.get("price"), f"{where}price", required=False) or regular or Decimal("0.00")
    stock = _stock(data.get("stock_quantity"), f"{where}stock_quantity")
    if stock is None and data.get("stock_status") == "outofstock":  # stock not counted, but none left
        stock = 0
    return NormalisedVariant(external_id=external_id, sku=str(data["sku"])[:200] if data.get("sku") else None,
                             price=price, compare_at_price=regular if regular and regular > price else None,
                             currency=default_currency, stock=stock, options=_woo_options(data.get("attributes")))


def product_from_woocommerce(data: Any, *, default_currency: str) -> NormalisedProduct:
    """A WooCommerce REST v3 product (webhook body or an item of the products listing).

    A variable product's own price and stock are only a summary of its variations, which
    the payload lists by id alone: it gets that summary as its one variant, and
    `needs_variants`, so the poller replaces it with `variants_from_woocommerce`.
    """
    data = _object(data, "product")
    external_id = _external_id(data.get("id"), "id")
    title = data.get("name")
    if not isinstance(title, str) or not title.strip():
        raise MalformedPayload("name is missing")
    modified = data.get("date_modified_gmt") or data.get("date_modified")
    return NormalisedProduct(
        external_id=external_id, source_updated_at=parse_time(modified, "date_modified_gmt"),
        title=title.strip()[:500],
        description=html_to_text(data.get("description") or data.get("short_description")),
        product_type=data.get("type"), tags=_tags(data.get("tags")),
        status=WOO_STATUS.get(data.get("status"), ProductStatus.active), images=_images(data.get("images")),
        variants=[_woo_variant(data, external_id, "", default_currency=default_currency)],
        needs_variants=data.get("type") == "variable")


def _woo_for_sale(variation: Any) -> bool:
    # WooCommerce offers neither a disabled (non-published) variation nor one without a price.
    return not isinstance(variation, dict) or (variation.get("status", "publish") == "publish"
                                               and bool(variation.get("price") or variation.get("regular_price")))


def variants_from_woocommerce(items: Any, *, default_currency: str) -> list[NormalisedVariant]:
    """A variable product's variations (`GET products/<id>/variations`), those for sale."""

    def variant(v: dict[str, Any], i: int) -> NormalisedVariant:
        where = f"variations[{i}]."
        parsed = _woo_variant(v, _external_id(v.get("id"), f"{where}id"), where, default_currency=default_currency)
        parsed.title = " / ".join(str(option) for option in parsed.options.values())[:500] or None
        return parsed

    return _variants([v for v in items if _woo_for_sale(v)] if isinstance(items, list) else items, variant,
                     "variations")


def parse_woocommerce(body: bytes, *, topic: str | None, received_at: datetime,
                      default_currency: str) -> NormalisedProduct:
    if topic not in WOO_TOPICS:
        raise MalformedPayload(f"X-WC-Webhook-Topic {str(topic)[:40]!r} is not a product topic")
    payload = _object(_load_json(body), "payload")
    if WOO_TOPICS[topic]:
        return NormalisedProduct(external_id=_external_id(payload.get("id"), "id"),
                                 source_updated_at=received_at, deleted=True)
    return product_from_woocommerce(payload, default_currency=default_currency)


def parse_event(kind: str, body: bytes, *, topic: str | None, triggered_at: datetime | None,
                received_at: datetime, default_currency: str) -> NormalisedProduct:
    if kind == SourceKind.shopify:
        return parse_shopify(body, topic=topic, triggered_at=triggered_at, received_at=received_at,
                             default_currency=default_currency)
    if kind == SourceKind.woocommerce:
        return parse_woocommerce(body, topic=topic, received_at=received_at, default_currency=default_currency)
    return parse_standard(body, default_currency=default_currency)
