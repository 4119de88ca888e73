"""A small CRM in February-March 2024 whose figures are worked out by hand in the tests.

Far in the past on purpose: nothing another test commits lands in these days. Owners: rep `a`,
rep `b`, and nobody (`n`). Each helper writes rows with the times it is given, since the
services stamp everything "now".
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.activity.models import Activity, ActivityType
from mancrel.ai.models import Classification
from mancrel.analytics import rollup
from mancrel.audit.models import AuditEntry
from mancrel.channel.models import Channel
from mancrel.core.permissions import Role
from mancrel.deal.line_items_models import DealLineItem
from mancrel.deal.models import DealStatus
from mancrel.inbox.models import Conversation, Message
from mancrel.reply.models import Suggestion
from tests.contact.factories import quick_user
from tests.inbox.factories import make_channel
from tests.insights.crm_history import deal, person
from tests.reply.factories import make_product

FIRST, LAST = date(2024, 2, 15), date(2024, 3, 14)
RANGE = {"from": FIRST.isoformat(), "to": LAST.isoformat()}


def at(day: int, hour: float = 0, month: int = 3) -> datetime:
    return datetime(2024, month, day, tzinfo=UTC) + timedelta(hours=hour)


@dataclass
class World:
    a: Any
    b: Any
    manager: Any
    ids: dict[str, uuid.UUID]


async def _deals(db: AsyncSession, ca, cb, cn) -> dict[str, Any]:
    return {
        "A1": await deal(db, ca, created=at(1, 10), closed=at(11, 10), status=DealStatus.won, amount="1000"),
        "A2": await deal(db, ca, created=at(2), closed=at(12), status=DealStatus.lost, amount="500"),
        "A3": await deal(db, ca, created=at(5), moves=[("Proposal", at(8))], amount="300"),
        "A4": await deal(db, ca, created=at(10, month=2), closed=at(20, 12, month=2), status=DealStatus.won,
                         amount="400"),
        "B1": await deal(db, cb, created=at(20, month=2), closed=at(13), status=DealStatus.won, amount="2000"),
        "N1": await deal(db, cn, created=at(3), amount="50"),
    }


async def _line_items(db: AsyncSession, deals: dict[str, Any]) -> None:
    socks = await make_product(db, title="Merino Socks", sku="SOCK-1", price="18.00")
    jacket = await make_product(db, title="Trail Jacket", sku="JKT-1", price="149.90")
    rows = [("A1", socks, 4, "18.00", "0", "72.00"), ("A1", jacket, 1, "149.90", "0", "149.90"),
            ("B1", jacket, 2, "149.90", "10", "269.82"), ("A2", jacket, 5, "149.90", "0", "749.50")]
    for position, (key, product, quantity, price, discount, total) in enumerate(rows):
        db.add(DealLineItem(deal_id=deals[key].id, product_id=product.id, title=product.title, quantity=quantity,
                            unit_price=Decimal(price), discount_percent=Decimal(discount), currency="EUR",
                            line_total=Decimal(total), position=position))
    await db.flush()


async def _conversation(db: AsyncSession, contact, channel) -> Conversation:
    row = Conversation(channel_id=channel.id, contact_id=contact.id, counterpart=contact.emails[0], subject="Q",
                       last_message_at=at(1))
    db.add(row)
    await db.flush()
    return row


async def _say(db: AsyncSession, conversation, when: datetime, *, direction: str = "inbound",
               intent: str | None = None, status: str | None = None, junk: bool = False) -> Message:
    classification = None
    if intent is not None:
        classification = Classification(text="q", intent=intent, confidence=0.9, priority="normal", model_version=1)
        db.add(classification)
        await db.flush()
    row = Message(conversation_id=conversation.id, channel_id=conversation.channel_id, direction=direction,
                  sender="x@customer.example", provider_message_id=uuid.uuid4().hex, is_junk=junk,
                  status=status or ("received" if direction == "inbound" else "sent"), occurred_at=when,
                  created_at=when, classification_id=classification.id if classification else None)
    db.add(row)
    await db.flush()
    return row


def _close(db: AsyncSession, conversation, when: datetime) -> None:
    db.add(AuditEntry(occurred_at=when, action="conversation.updated", entity_type="conversation",
                      entity_id=str(conversation.id), before={"status": "open"}, after={"status": "closed"}))


async def _inbox(db: AsyncSession, ca, cb, cn) -> dict[str, Message]:
    email = await make_channel(db)
    whatsapp = Channel(id=uuid.uuid4(), kind="whatsapp", name=f"WA {uuid.uuid4().hex[:6]}", settings={})
    db.add(whatsapp)
    conv1, conv2, conv3 = (await _conversation(db, ca, email), await _conversation(db, cb, whatsapp),
                           await _conversation(db, cn, email))
    m = {"m1": await _say(db, conv1, at(10, 9), intent="pricing")}
    await _say(db, conv1, at(10, 9 + 10 / 60), direction="outbound")          # 600 s
    m["m2"] = await _say(db, conv1, at(10, 12), intent="shipping")
    m["m3"] = await _say(db, conv1, at(10, 12.5))
    await _say(db, conv1, at(10, 13), direction="outbound")                    # 3600 s from m2
    _close(db, conv1, at(10, 14))                                              # resolved 18000 s after m1
    m["m4"] = await _say(db, conv2, at(11, 8), intent="pricing")
    await _say(db, conv2, at(11, 8 + 2 / 60), direction="outbound")            # 120 s
    await _say(db, conv2, at(11, 8.5), junk=True)
    _close(db, conv2, at(11, 9))                                               # 3600 s
    m["m5"] = await _say(db, conv3, at(12, 10), intent="complaint")
    await _say(db, conv3, at(12, 11), direction="outbound", status="failed")   # not a reply
    await _say(db, conv3, at(13, 10), direction="outbound")                    # 86400 s
    m["m6"] = await _say(db, conv1, at(12, 9), intent="order_status")
    _close(db, conv1, at(12, 9.5))                                             # 1800 s: since the last close
    await db.flush()
    return m


async def _suggestions(db: AsyncSession, m: dict[str, Message], contacts: dict[str, Any]) -> dict[str, Suggestion]:
    plan = {"m1": ("sent", "auto_send", "ca"), "m2": ("approved", "approval", "ca"),
            "m3": ("pending", "approval", "ca"), "m4": ("edited", "approval", "cb"),
            "m5": ("rejected", "approval", "cn"), "m6": ("escalated", "escalate", "ca")}
    rows = {}
    for key, (status, decision, contact) in plan.items():
        message = m[key]
        rows[key] = Suggestion(message_id=message.id, conversation_id=message.conversation_id,
                               contact_id=contacts[contact].id, intent="pricing" if key in ("m1", "m4") else "other",
                               confidence=Decimal("0.8"), decision=decision, status=status, reasons=[],
                               created_at=message.occurred_at + timedelta(seconds=5))
        db.add(rows[key])
    await db.flush()
    return rows


async def _activities(db: AsyncSession, a, b) -> None:
    def activity(owner, kind, when, **fields):
        return Activity(type=kind, subject="x", owner_id=getattr(owner, "id", None), occurred_at=when, **fields)

    db.add_all([activity(a, ActivityType.call, at(4), done_at=at(4)), activity(a, ActivityType.call, at(6)),
                activity(a, ActivityType.note, at(20, month=2)), activity(b, ActivityType.meeting, at(7)),
                activity(None, ActivityType.note, at(8)),
                activity(a, ActivityType.call, at(9), deleted_at=at(9, 1)),   # deleted: not counted
                activity(a, ActivityType.call, at(1, month=1))])               # before the range
    await db.flush()


async def build(db: AsyncSession) -> World:
    a, b = await quick_user(db), await quick_user(db)
    manager = await quick_user(db, role=Role.manager)
    ca, cb, cn = await person(db, owner=a, name="Ann"), await person(db, owner=b, name="Bob"), await person(db)
    deals = await _deals(db, ca, cb, cn)
    await _line_items(db, deals)
    messages = await _inbox(db, ca, cb, cn)
    suggestions = await _suggestions(db, messages, {"ca": ca, "cb": cb, "cn": cn})
    await _activities(db, a, b)
    await rollup.rebuild(db, date(2024, 1, 1), date(2024, 3, 31))
    ids = {**{k: v.id for k, v in deals.items()}, **{f"s_{k}": v.id for k, v in suggestions.items()}}
    return World(a=a, b=b, manager=manager, ids=ids)
