"""Deal line items: add, change and remove products on a deal. Flushes, never commits.

The deal's visibility and role rules apply as for editing the deal itself (the router takes
the deal through `VisibleDeal`). When the deal's `amount_from_line_items` is set, every change
here sets the deal's amount to the items' total, which the board and its totals then show.
Every change also asks for the contact's interest profile to be refreshed: quoted products
(open deals) and bought ones (won deals) are what recommendations learn from.
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog import service as catalog_service
from mancrel.deal import links
from mancrel.deal.line_items_exceptions import InvalidLineItem, LineItemNotFound
from mancrel.deal.line_items_models import DealLineItem
from mancrel.deal.line_items_repository import LineItemRepository
from mancrel.deal.line_items_schemas import LineItemCreate, LineItemList, LineItemRead, LineItemUpdate
from mancrel.deal.models import Deal
from mancrel.insights.profile_signal import request_refresh

MAX_ITEMS_PER_DEAL = 200
CENT = Decimal("0.01")


def line_total(quantity: int, unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    """quantity x unit price x (1 - discount / 100), to the cent, half up (as invoices round)."""
    return (Decimal(quantity) * unit_price * (Decimal(100) - discount_percent) / Decimal(100)).quantize(
        CENT, rounding=ROUND_HALF_UP)


async def list_items(session: AsyncSession, *, deal: Deal) -> LineItemList:
    repo = LineItemRepository(session)
    items = await repo.list_for_deal(deal.id)
    return LineItemList(items=[LineItemRead.model_validate(i) for i in items], total=await repo.total(deal.id),
                        currency=deal.currency, amount_from_line_items=deal.amount_from_line_items)


async def get(session: AsyncSession, *, deal: Deal, item_id: uuid.UUID) -> DealLineItem:
    item = await LineItemRepository(session).get(deal.id, item_id)
    if item is None:
        raise LineItemNotFound(f"No line item with id {item_id} on this deal.")
    return item


async def add(session: AsyncSession, *, deal: Deal, data: LineItemCreate, actor: Any) -> DealLineItem:
    repo = LineItemRepository(session)
    count, last_position = await repo.count_and_last_position(deal.id)
    if count >= MAX_ITEMS_PER_DEAL:
        raise InvalidLineItem(f"A deal holds at most {MAX_ITEMS_PER_DEAL} line items.")
    title, sku, price, price_currency = await _catalogue_defaults(session, data)
    currency = data.currency or deal.currency
    if currency != deal.currency:
        raise _invalid("currency", f"Line items are in the deal's currency ({deal.currency}).")
    unit_price = data.unit_price if data.unit_price is not None else price
    if unit_price is None:
        raise _invalid("unit_price", "Give a unit price (the product has no price to copy).")
    if data.unit_price is None and price_currency != deal.currency:
        raise _invalid("unit_price", f"The catalogue price is in {price_currency}; give a price in "
                                     f"{deal.currency}.")
    item = DealLineItem(id=uuid.uuid4(), deal_id=deal.id, product_id=data.product_id, variant_id=data.variant_id,
                        title=data.title or title, sku=data.sku if data.sku is not None else sku,
                        quantity=data.quantity, unit_price=unit_price, discount_percent=data.discount_percent,
                        currency=currency, position=last_position + 1,
                        line_total=line_total(data.quantity, unit_price, data.discount_percent))
    session.add(item)
    await session.flush()
    await _after_change(session, deal)
    return item


async def update(session: AsyncSession, *, deal: Deal, item: DealLineItem, data: LineItemUpdate,
                 actor: Any) -> DealLineItem:
    changes = data.model_dump(exclude_unset=True)
    for required in ("title", "quantity", "unit_price", "discount_percent"):
        if required in changes and changes[required] is None:
            raise _invalid(required, f"{required} cannot be empty.")
    for field, value in changes.items():
        setattr(item, field, value)
    item.line_total = line_total(item.quantity, item.unit_price, item.discount_percent)
    await session.flush()
    await _after_change(session, deal)
    return item


async def delete(session: AsyncSession, *, deal: Deal, item: DealLineItem, actor: Any) -> None:
    await session.delete(item)
    await session.flush()
    await _after_change(session, deal)


async def total(session: AsyncSession, *, deal_id: uuid.UUID) -> Decimal:
    return await LineItemRepository(session).total(deal_id)


async def _catalogue_defaults(session: AsyncSession, data: LineItemCreate) -> tuple[str, str | None,
                                                                                  Decimal | None, str | None]:
    """(title, sku, price, price currency) from the catalogue as synced now, for what was left out."""
    if data.product_id is None:
        if data.variant_id is not None:
            raise _invalid("variant_id", "A variant needs its product_id.")
        if not data.title:
            raise _invalid("title", "Give a product_id or a title.")
        return data.title, None, None, None
    product = await catalog_service.get_product(session, data.product_id)
    if product is None:
        raise _invalid("product_id", f"No live product with id {data.product_id}.")
    variants = list(product.variants)
    variant = next((v for v in variants if v.id == data.variant_id), None) if data.variant_id else \
        (variants[0] if variants else None)
    if data.variant_id is not None and variant is None:
        raise _invalid("variant_id", "That variant is not one of the product's.")
    if variant is None:
        return product.title, None, None, None
    named = variant.title and variant.title.lower() not in ("default", "default title")
    title = f"{product.title} - {variant.title}" if named and data.variant_id else product.title
    return title, variant.sku, variant.price, variant.currency


async def _after_change(session: AsyncSession, deal: Deal) -> None:
    if deal.amount_from_line_items:
        amount = await LineItemRepository(session).total(deal.id)
        if amount != deal.amount:
            deal.amount = amount
            await session.flush()
            links.publish(session, "deal.updated", deal)  # the board shows the new amount
            return
    request_refresh(session, deal.contact_id)


def _invalid(field: str, message: str) -> InvalidLineItem:
    return InvalidLineItem(message, errors=[{"field": field, "message": message}])
