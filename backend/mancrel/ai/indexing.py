"""Keeping records searchable: what each record type puts in the search index (search_index.py).

Products, contacts, companies and deals are read through their own domain's service (never its
tables), so this module knows only the documented fields of each. Customer messages are indexed
by the inbox's classification batch (`index_messages`), as text only: the batch has just run the
embedder for the classifier, and a second pass per message would double the inbox's AI cost, so
messages are found by their words (full text and trigrams) rather than by paraphrase.
"""

import html
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import repository
from mancrel.ai.search_index import BODY_CHARS, SNIPPET_CHARS, clip, index_record, index_records, remove_record
from mancrel.catalog import service as catalog_service
from mancrel.company import service as company_service
from mancrel.contact import service as contact_service
from mancrel.deal import service as deal_service

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


def company_text(company: Any) -> tuple[str, str, str]:
    details = [company.domain, company.industry, company.address]
    snippet = " · ".join(filter(None, details))
    body = " ".join(filter(None, [*details, " ".join(company.tags or [])]))
    return company.name or "", snippet, body


def deal_text(deal: Any, company_name: str | None, contact_name: str | None) -> tuple[str, str, str]:
    status = getattr(deal.status, "value", deal.status)
    details = [f"{deal.amount} {deal.currency}", str(status), company_name, contact_name]
    snippet = " · ".join(filter(None, details))
    return deal.title or "", snippet, " ".join(filter(None, details))


def message_document(message: Any, conversation: Any, owner_id: uuid.UUID | None) -> dict:
    """A customer message's search document: its conversation's subject as the title (what the
    hit list shows), the customer's own words as the snippet, the whole text to match."""
    who = message.sender_name or message.sender
    title = conversation.subject or message.subject or f"Message from {who}"
    return dict(entity_type="message", entity_id=message.id, owner_id=owner_id, parent_id=conversation.id,
                title=clip(title, SNIPPET_CHARS), snippet=clip(f"{who}: {message.own_words or message.text}",
                                                                SNIPPET_CHARS),
                body=clip(" ".join(filter(None, [who, message.sender, message.text])), BODY_CHARS))


async def index_messages(session: AsyncSession, documents: list[dict]) -> None:
    """Index a batch of customer messages' `message_document`s in one statement."""
    await repository.upsert_documents(session, documents)


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


async def _index_owned(session: AsyncSession, entity_type: str, record_id: uuid.UUID, record: Any,
                       text: "Callable[[Any], Awaitable[tuple[str, str, str]]]") -> bool:
    """Index a live CRM record under its owner, or drop it from search when it is gone or deleted."""
    if record is None or record.deleted_at is not None:
        await remove_record(session, entity_type=entity_type, entity_id=record_id)
        return False
    title, snippet, body = await text(record)
    await index_record(session, entity_type=entity_type, entity_id=record.id, owner_id=record.owner_id,
                       title=title, snippet=snippet, body=body)
    return True


async def _company_name(session: AsyncSession, company_id: uuid.UUID | None) -> str | None:
    company = await company_service.get(session, company_id) if company_id else None
    return getattr(company, "name", None)


async def index_contact(session: AsyncSession, contact_id: uuid.UUID) -> bool:
    async def text(contact: Any) -> tuple[str, str, str]:
        return contact_text(contact, await _company_name(session, contact.company_id))

    return await _index_owned(session, "contact", contact_id, await contact_service.get(session, contact_id), text)


async def index_contacts(session: AsyncSession, contact_ids: list[uuid.UUID]) -> int:
    """`index_contact` for many contacts in one pass of the embedder (new senders of an intake
    batch); gone or deleted ones leave search. The number indexed."""
    found = await contact_service.get_many(session, contact_ids)
    live = [c for c in found.values() if c.deleted_at is None]
    for contact_id in set(contact_ids) - {c.id for c in live}:
        await remove_record(session, entity_type="contact", entity_id=contact_id)
    records = []
    for contact in live:
        title, snippet, body = contact_text(contact, await _company_name(session, contact.company_id))
        records.append(dict(entity_type="contact", entity_id=contact.id, owner_id=contact.owner_id,
                            title=title, snippet=snippet, body=body))
    await index_records(session, records)
    return len(records)


async def index_company(session: AsyncSession, company_id: uuid.UUID) -> bool:
    async def text(company: Any) -> tuple[str, str, str]:
        return company_text(company)

    return await _index_owned(session, "company", company_id, await company_service.get(session, company_id), text)


async def index_deal(session: AsyncSession, deal_id: uuid.UUID) -> bool:
    async def text(deal: Any) -> tuple[str, str, str]:
        contact = await contact_service.get(session, deal.contact_id) if deal.contact_id else None
        contact_name = " ".join(filter(None, [contact.first_name, contact.last_name])) if contact else None
        return deal_text(deal, await _company_name(session, deal.company_id), contact_name)

    return await _index_owned(session, "deal", deal_id, await deal_service.get(session, deal_id), text)


INDEXERS = {"product": index_product, "contact": index_contact, "company": index_company, "deal": index_deal}

__all__ = ["INDEXERS", "company_text", "contact_text", "deal_text", "index_company", "index_contact", "index_contacts",
           "index_deal", "index_messages", "index_product", "index_record", "message_document", "plain", "product_text",
           "remove_record"]
