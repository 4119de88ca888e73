"""The board's two queries: a page of cards for one stage, and per-stage count and totals."""

import uuid
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Row, Select, Uuid, func, literal, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.company.models import Company
from mancrel.contact.models import Contact
from mancrel.core.pagination import after
from mancrel.core.permissions import Actor, visible_filter, visible_owner_values
from mancrel.deal.models import NIL_OWNER, Deal, DealStageTotal
from mancrel.user.models import User


def _contact_name() -> ColumnElement[Any]:
    return func.nullif(func.trim(func.concat_ws(literal(" "), Contact.first_name, Contact.last_name)), "")


def _cards_of(condition: ColumnElement[bool], actor: Actor, limit: int) -> Select:
    return (
        select(Deal.id, Deal.stage_id, Deal.title, Deal.amount, Deal.currency, Deal.status,
               Deal.expected_close_date, Deal.contact_id, _contact_name().label("contact_name"), Deal.company_id,
               Company.name.label("company_name"), Deal.owner_id, User.full_name.label("owner_name"),
               Deal.version, Deal.rank)
        .outerjoin(Contact, Contact.id == Deal.contact_id)
        .outerjoin(Company, Company.id == Deal.company_id)
        .outerjoin(User, User.id == Deal.owner_id)
        .where(condition, Deal.deleted_at.is_(None), visible_filter(Deal, actor))
        .order_by(Deal.rank, Deal.id)
        .limit(limit + 1)
    )


class BoardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def cards(self, stage_id: uuid.UUID, actor: Actor, *, limit: int,
                    after_key: tuple[int, uuid.UUID] | None) -> list[Row]:
        """Up to `limit + 1` cards of the stage in board order, after `after_key` (rank, id)."""
        stmt = _cards_of(Deal.stage_id == stage_id, actor, limit)
        if after_key is not None:
            stmt = stmt.where(after((Deal.rank, Deal.id), after_key))
        return list(await self.session.execute(stmt))

    async def first_cards(self, stage_ids: list[uuid.UUID], actor: Actor, *, limit: int) -> list[Row]:
        """The first `limit + 1` cards of every stage in one round trip (a LATERAL query per
        stage over the board index), ordered by stage then board order."""
        stages = select(func.unnest(literal(stage_ids, ARRAY(Uuid))).label("id")).subquery("stages")
        cards = _cards_of(Deal.stage_id == stages.c.id, actor, limit).lateral("cards")
        stmt = (select(cards).select_from(stages).join(cards, true())
                .order_by(cards.c.stage_id, cards.c.rank, cards.c.id))
        return list(await self.session.execute(stmt))

    async def totals(self, stage_ids: list[uuid.UUID], actor: Actor) -> list[Row]:
        """(stage_id, currency, count, amount) over every card `actor` sees in those stages,
        from the trigger-kept totals (a few rows per stage, not one per deal)."""
        t = DealStageTotal
        stmt = (select(t.stage_id, t.currency, func.sum(t.deal_count).label("count"),
                       func.sum(t.amount).label("amount"))
                .where(t.stage_id.in_(stage_ids))
                .group_by(t.stage_id, t.currency)
                .having(func.sum(t.deal_count) > 0)
                .order_by(t.stage_id, t.currency))
        owners = visible_owner_values(actor, nobody=NIL_OWNER)  # the owner rule, on the totals' owner key
        if owners is not None:
            stmt = stmt.where(t.owner_key.in_(owners))
        return list(await self.session.execute(stmt))
