"""What our tables can hold, checked on every normalised product before it reaches the database.

A shop's payload is signed but not ours: it can carry values PostgreSQL refuses (a NUL
character, an unpaired surrogate, text longer than its column, a stock beyond `integer`,
`NaN` inside JSON) or that Python cannot represent once time zones apply (year 1 at +01:00).
The database refusing one of them would fail the statement that applies a whole drain of
events, so each product is checked here and refused alone, with a reason an admin can act
on. Column lengths are read from the models, so a migration that changes one changes the
check with it. The drain still applies under a savepoint (sync.py) in case something gets by.
"""

import math
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column

from mancrel.catalog.models import Product, ProductVariant
from mancrel.catalog.normalise import MalformedPayload, NormalisedProduct, NormalisedVariant

INT4 = (-(2 ** 31), 2 ** 31 - 1)
# A day inside Python's calendar on each side, so that moving a time by a poll's overlap or
# a time zone never leaves it.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)
MAX_DESCRIPTION = 100_000  # characters; `text` holds more, but no description needs to
MAX_IMAGE_URL = 2000
MAX_TAGS = 250
MAX_OPTIONS_JSON = 10_000  # characters of a variant's options as JSON
MAX_JSON_DEPTH = 20


def _length(column: Column) -> int | None:
    return getattr(column.type, "length", None)


def check_text(value: Any, what: str, *, limit: int | None, optional: bool = True) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise MalformedPayload(f"{what} must be a string")
    if "\x00" in value:
        raise MalformedPayload(f"{what} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # an unpaired surrogate from a \ud800-style JSON escape
        raise MalformedPayload(f"{what} is not valid Unicode") from exc
    if limit is not None and len(value) > limit:
        raise MalformedPayload(f"{what} is longer than {limit} characters ({len(value)})")


def check_time(value: datetime, what: str) -> None:
    if value.tzinfo is None or not EARLIEST <= value <= LATEST:
        raise MalformedPayload(f"{what} is outside the years 1 to 9999 in UTC: {value.isoformat()}")


def check_json(value: Any, what: str, *, depth: int = 0) -> None:
    """A JSON value PostgreSQL's jsonb accepts: text it can store, finite numbers, bounded nesting."""
    if depth > MAX_JSON_DEPTH:
        raise MalformedPayload(f"{what} is nested too deeply")
    if isinstance(value, dict):
        for key, item in value.items():
            check_text(key, f"{what} key", limit=None, optional=False)
            check_json(item, f"{what}.{key[:40]}", depth=depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_json(item, f"{what}[{index}]", depth=depth + 1)
    elif isinstance(value, str):
        check_text(value, what, limit=None)
    elif isinstance(value, float) and not math.isfinite(value):
        raise MalformedPayload(f"{what} is not a finite number")


def check_variant(variant: NormalisedVariant, where: str) -> None:
    columns = ProductVariant.__table__.c
    check_text(variant.external_id, f"{where}.id", limit=_length(columns.external_id), optional=False)
    check_text(variant.sku, f"{where}.sku", limit=_length(columns.sku))
    check_text(variant.title, f"{where}.title", limit=_length(columns.title))
    if variant.stock is not None and not INT4[0] <= variant.stock <= INT4[1]:
        raise MalformedPayload(f"{where}.stock is out of range: {str(variant.stock)[:40]}")
    if not isinstance(variant.options, dict):
        raise MalformedPayload(f"{where}.options must be an object")
    check_json(variant.options, f"{where}.options")
    if len(repr(variant.options)) > MAX_OPTIONS_JSON:
        raise MalformedPayload(f"{where}.options is larger than {MAX_OPTIONS_JSON} characters")


def check_product(product: NormalisedProduct) -> NormalisedProduct:
    """The product itself when every value fits our tables; MalformedPayload naming the first that does not."""
    columns = Product.__table__.c
    check_text(product.external_id, "id", limit=_length(columns.external_id), optional=False)
    check_time(product.source_updated_at, "updated_at")
    if product.deleted:
        return product
    check_text(product.title, "title", limit=_length(columns.title), optional=False)
    check_text(product.description, "description", limit=MAX_DESCRIPTION, optional=False)
    check_text(product.vendor, "vendor", limit=_length(columns.vendor))
    check_text(product.product_type, "product_type", limit=_length(columns.product_type))
    if len(product.tags) > MAX_TAGS:
        raise MalformedPayload(f"more than {MAX_TAGS} tags")
    for index, tag in enumerate(product.tags):
        check_text(tag, f"tags[{index}]", limit=columns.tags.type.item_type.length, optional=False)
    for index, image in enumerate(product.images):
        check_text(image, f"images[{index}]", limit=MAX_IMAGE_URL, optional=False)
    for index, variant in enumerate(product.variants):
        check_variant(variant, f"variants[{index}]")
    return product
