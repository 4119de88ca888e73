"""Demo catalogue: a small outdoor shop with a `standard` webhook source.

The source's secret is random per installation (admins set a real one when they connect
their shop); the products go through the same upsert a webhook would use.
"""

import base64
import secrets
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog import service, source_service
from mancrel.catalog.models import SourceKind
from mancrel.catalog.normalise import NormalisedProduct, NormalisedVariant
from mancrel.catalog.repository import SourceRepository
from mancrel.catalog.schemas import SourceCreate

DEMO_SOURCE = "Trailhead Outfitters (demo)"
UPDATED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

# (id, title, vendor, type, tags, description, [(sku, options, price, compare_at, stock)])
DEMO_PRODUCTS = [
    ("1001", "Merino Hiking Socks", "Alpine Loom", "Socks", ["merino", "hiking"],
     "Midweight merino wool socks with a cushioned sole. Odour-resistant for multi-day hikes.",
     [("SOCK-MER-S", {"size": "S"}, "18.00", None, 42), ("SOCK-MER-M", {"size": "M"}, "18.00", None, 65),
      ("SOCK-MER-L", {"size": "L"}, "18.00", None, 0)]),
    ("1002", "Merino Hiking Socks 3-Pack", "Alpine Loom", "Socks", ["merino", "bundle"],
     "Three pairs of our midweight merino socks, one of each colour.",
     [("SOCK-MER-3P-M", {"size": "M"}, "48.00", "54.00", 20)]),
    ("1003", "Trail Runner Shoe", "Ridgeback", "Footwear", ["running", "trail"],
     "Lightweight trail shoe with a 4 mm drop and a sticky rubber outsole.",
     [("SHOE-TR-42", {"size": "42"}, "129.00", None, 8), ("SHOE-TR-43", {"size": "43"}, "129.00", None, 5),
      ("SHOE-TR-44", {"size": "44"}, "129.00", None, 3)]),
    ("1004", "Packable Rain Jacket", "Ridgeback", "Outerwear", ["rain", "packable"],
     "2.5-layer waterproof shell (20,000 mm) that packs into its own pocket.",
     [("JKT-RAIN-M-BLU", {"size": "M", "colour": "Blue"}, "149.00", "179.00", 12),
      ("JKT-RAIN-L-BLU", {"size": "L", "colour": "Blue"}, "149.00", "179.00", 9)]),
    ("1005", "Insulated Water Bottle 750 ml", "Summit Steel", "Accessories", ["hydration"],
     "Double-wall stainless steel; keeps drinks cold for 24 hours.",
     [("BTL-750-GRN", {"colour": "Green"}, "34.00", None, 30)]),
    ("1006", "Ultralight Trekking Poles", "Summit Steel", "Equipment", ["trekking"],
     "Carbon poles, 3-section, 240 g each, with cork grips.",
     [("POLE-UL-PAIR", {}, "119.00", None, 6)]),
]


def _demo_products() -> list[NormalisedProduct]:
    return [NormalisedProduct(
        external_id=ext, source_updated_at=UPDATED, title=title, description=description, vendor=vendor,
        product_type=kind, tags=tags,
        variants=[NormalisedVariant(external_id=sku, sku=sku, options=options, price=Decimal(price),
                                    compare_at_price=Decimal(compare) if compare else None, currency="EUR",
                                    stock=stock) for sku, options, price, compare, stock in variants])
        for ext, title, vendor, kind, tags, description, variants in DEMO_PRODUCTS]


async def seed(session: AsyncSession) -> None:
    source = await SourceRepository(session).get_by_name(DEMO_SOURCE)
    if source is None:
        secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
        source = await source_service.create(session, data=SourceCreate(
            name=DEMO_SOURCE, kind=SourceKind.standard, webhook_secret=secret, currency="EUR"), actor=None)
    await service.apply_products(session, source_id=source.id, products=_demo_products())
