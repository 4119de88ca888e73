"""Demo knowledge entries for `make run`: the shop's shipping, returns and payment texts, so the demo's
shipping and returns questions get drafts (and some go out on their own) instead of all escalating.

Each entry names only the intents it answers: a shipping text is no answer to "where is my order?"
(order_status needs the order), so that intent gets none. Written by the demo manager, through the
same service an admin's form uses (versioned and audited).
"""

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.reply import knowledge
from mancrel.reply.repository import KnowledgeRepository
from mancrel.reply.schemas import KnowledgeCreate
from mancrel.user import service as user_service
from mancrel.user.demo import DEMO_TEAM

DEMO_KNOWLEDGE = [
    KnowledgeCreate(topic="shipping", title="Shipping", intents=["shipping"], body=(
        "We ship within 1 business day from our warehouse in Munich. Delivery in Germany takes 2 to 3 business "
        "days and costs 4.90 EUR, free from 50 EUR. We ship to all EU countries, Switzerland and Norway: "
        "delivery takes 3 to 6 business days and costs 9.90 EUR. Every parcel has a tracking link.")),
    KnowledgeCreate(topic="returns", title="Returns and refunds", intents=["returns_refund"], body=(
        "You can return unused items within 30 days of delivery. Reply to this mail with your order number and "
        "we send you a prepaid return label. Your refund reaches you within 5 business days of the parcel "
        "arriving with us.")),
    KnowledgeCreate(topic="payment", title="Payment", intents=["purchase_intent"], body=(
        "You can pay by card, PayPal or bank transfer. Business customers can pay by invoice within 14 days "
        "from their second order on.")),
]


async def seed(session: AsyncSession) -> None:
    manager = await user_service.get_by_email(session, DEMO_TEAM[0][0])
    for entry in DEMO_KNOWLEDGE:
        if not await KnowledgeRepository(session).topic_taken(entry.topic):
            await knowledge.create(session, data=entry, actor=manager)
