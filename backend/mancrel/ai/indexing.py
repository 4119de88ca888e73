"""Keeping records searchable: what each record type puts in the search index (search_index.py).

Products and contacts are read through their own domain's service (never its tables), so
this module knows only the documented fields of each.
"""

import html
import re
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai.search_index import index_record, remove_record
from mancrel.catalog import service as catalog_service
from mancrel.company import service as company_service
from mancrel.contact import service as contact_service

_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def plain(text: str | None) -> str:
    """Text without HTML tags and entities, whitespace collapsed (shop descriptions are HTML)."""
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", text or ""))).strip()


def product_text(product: Any) -> tuple[str, str, str]:
    """(title, snippet, body) of a catalogue product and its variants."""
    description = plain(product.description)
    variants = list(product.variants)
    variant_text = "; ".join(" ".join(filter(None, [v.title, v.sku])) for v in variants)
    facts = " ".join(filter(None, [product.vendor, product.product_type, " ".join(product.tags or [])]))
    body = " ".join(filter(None, [facts, description, variant_text]))
    prices = sorted({f"{v.price} {v.currency}" for v in variants})
    snippet = description or facts
    if prices:
        snippet = f"{prices[0]}{'+' if len(prices) > 1 else ''} · {snippet}"
    return product.title or "", snippet, body


def contact_text(contact: Any, company_name: str | None) -> tuple[str, str, str]:
    name = " ".join(filter(None, [contact.first_name, contact.last_name])) or (contact.emails or [""])[0]
    details = [contact.title, company_name, ", ".join(contact.emails or []), ", ".join(contact.phones or [])]
    snippet = " · ".join(filter(None, details))
    body = " ".join(filter(None, [*details, " ".join(contact.tags or []), str(contact.lifecycle_stage or "")]))
    return name, snippet, body


async def index_product(session: AsyncSession, product_id: uuid.UUID) -> bool:
    """Index a live product, or drop it from search when it is gone or tombstoned."""
    product = await catalog_service.get_product(session, product_id)
    if product is None:
        await remove_record(session, entity_type="product", entity_id=product_id)
        return False
    title, snippet, body = product_text(product)
    # Catalogue products are shared by the whole team: no owner.
    await index_record(session, entity_type="product", entity_id=product.id, owner_id=None,
                       title=title, snippet=snippet, body=body)
    return True


async def index_contact(session: AsyncSession, contact_id: uuid.UUID) -> bool:
    contact = await contact_service.get(session, contact_id)
    if contact is None or contact.deleted_at is not None:
        await remove_record(session, entity_type="contact", entity_id=contact_id)
        return False
    company = await company_service.get(session, contact.company_id) if contact.company_id else None
    title, snippet, body = contact_text(contact, getattr(company, "name", None))
    await index_record(session, entity_type="contact", entity_id=contact.id, owner_id=contact.owner_id,
                       title=title, snippet=snippet, body=body)
    return True


__all__ = ["contact_text", "index_contact", "index_product", "index_record", "plain", "product_text",
           "remove_record"]
