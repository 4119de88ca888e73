"""Every query of deal line items."""

import uuid
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.deal.line_items_models import DealLineItem


class LineItemRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_for_deal(self, deal_id: uuid.UUID) -> list[DealLineItem]:
        stmt = (select(DealLineItem).where(DealLineItem.deal_id == deal_id)
                .order_by(DealLineItem.position, DealLineItem.created_at, DealLineItem.id))
        return list(await self.session.scalars(stmt))

    async def get(self, deal_id: uuid.UUID, item_id: uuid.UUID) -> DealLineItem | None:
        return await self.session.scalar(select(DealLineItem).where(
            DealLineItem.id == item_id, DealLineItem.deal_id == deal_id))

    async def total(self, deal_id: uuid.UUID) -> Decimal:
        value = await self.session.scalar(select(func.coalesce(func.sum(DealLineItem.line_total), 0))
                                          .where(DealLineItem.deal_id == deal_id))
        return Decimal(value).quantize(Decimal("0.01"))

    async def count_and_last_position(self, deal_id: uuid.UUID) -> tuple[int, int]:
        count, last = (await self.session.execute(
            select(func.count(), func.coalesce(func.max(DealLineItem.position), -1))
            .where(DealLineItem.deal_id == deal_id))).one()
        return count, last
