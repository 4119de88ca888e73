"""A CRM history whose outcomes follow its signals, for the lead-score bench.

bench/crm's generator draws deals at random (their outcome is unrelated to anything), which
would make any lead score look like a coin. Here each contact has a hidden buying propensity
`q` (source, company size and chance); deals, stage progress, message intents and our reply
speed are drawn from it, and so is the outcome. The model only sees the CRM rows, never `q`.

Deterministic (seeded). Rows go in through SQLAlchemy bulk inserts (Python-side defaults apply).
"""

import math
import random
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai.models import Classification
from mancrel.channel.models import Channel
from mancrel.company.models import Company
from mancrel.contact.models import Contact
from mancrel.deal.models import Deal, DealStageChange
from mancrel.inbox.models import Conversation, Message
from mancrel.pipeline.models import Pipeline, PipelineStage

END = datetime(2026, 12, 1, tzinfo=UTC)
SPAN_DAYS = 720
START = END - timedelta(days=SPAN_DAYS)
SOURCES = {"web": 0.0, "referral": 0.9, "trade_show": 0.3, "ads": -0.5}
SIZES = {"1-10": -0.2, "11-50": 0.0, "51-200": 0.3, "200+": 0.4}
INDUSTRIES = ["outdoor", "retail", "hospitality", "sport clubs", "schools", "corporate gifts"]
OPEN_STAGES = ["New", "Qualified", "Proposal", "Negotiation"]


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


class History:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
            "companies", "contacts", "deals", "changes", "conversations", "messages", "classifications")}

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def at(self, start: datetime, days: float) -> datetime:
        return start + timedelta(days=days)

    def contact(self, stages: dict[str, uuid.UUID], pipeline_id: uuid.UUID, channel_id: uuid.UUID,
                owner_id: uuid.UUID) -> None:
        rng = self.rng
        source = rng.choice(list(SOURCES))
        company_id, size = None, None
        if rng.random() < 0.6:
            size = rng.choice(list(SIZES))
            company_id = self.uid()
            self.rows["companies"].append({"id": company_id, "name": f"Company {company_id.hex[:8]}", "size": size,
                                           "industry": rng.choice(INDUSTRIES), "owner_id": owner_id})
        q = SOURCES[source] + SIZES.get(size, -0.1) + rng.gauss(0, 1.0)
        created = self.at(START, rng.uniform(0, SPAN_DAYS))
        contact_id = self.uid()
        self.rows["contacts"].append({"id": contact_id, "first_name": "Lead", "last_name": contact_id.hex[:8],
                                      "emails": [f"{contact_id.hex[:12]}@bench.example"], "company_id": company_id,
                                      "source": source, "owner_id": owner_id, "created_at": created})
        if rng.random() < 0.3:  # a browser: a couple of product questions, no deal
            self.messages(contact_id, channel_id, created, created + timedelta(days=30), q, won=False,
                          n=rng.randint(1, 3))
        opened = created + timedelta(days=rng.expovariate(1 / 20))
        if rng.random() < _sigmoid(q - 0.3):
            self.deal(contact_id, company_id, opened, q, stages, pipeline_id, channel_id, owner_id)

    def deal(self, contact_id, company_id, opened, q, stages, pipeline_id, channel_id, owner_id, repeat=0) -> None:
        rng = self.rng
        if opened >= END:
            return
        won = rng.random() < _sigmoid(1.3 * q - 0.6)
        duration = rng.uniform(15, 80) if won else rng.uniform(30, 150)
        closed = opened + timedelta(days=duration)
        # How far it got: a won deal passes every stage; a lost one stops earlier, later for better leads.
        reached = 4 if won else 1 + sum(rng.random() < _sigmoid(q) * 0.8 for _ in range(3))
        path = [(OPEN_STAGES[k], opened + timedelta(days=duration * f))
                for k, f in zip(range(reached), (0, 0.2, 0.5, 0.75), strict=False)]
        is_open = closed > END
        status = "open" if is_open else ("won" if won else "lost")
        current = [p for p in path if p[1] <= END][-1][0] if is_open else ("Won" if won else "Lost")
        deal_id = self.uid()
        amount = Decimal(str(round(rng.lognormvariate(7, 0.8), 2)))
        self.rows["deals"].append({
            "id": deal_id, "title": f"Deal {deal_id.hex[:6]}", "contact_id": contact_id, "company_id": company_id,
            "pipeline_id": pipeline_id, "stage_id": stages[current], "rank": rng.getrandbits(40), "amount": amount,
            "status": status, "closed_at": None if is_open else closed, "created_at": opened,
            "updated_at": min(closed, END), "stage_changed_at": min(closed, END), "owner_id": owner_id})
        for name, when in path + ([] if is_open else [(current, closed)]):
            if when <= END:
                self.rows["changes"].append({"id": self.uid(), "deal_id": deal_id, "to_stage_id": stages[name],
                                             "to_status": "won" if name == "Won" else "lost" if name == "Lost"
                                             else "open", "changed_at": when})
        n = min(12, int(rng.expovariate(1 / (1 + 3 * _sigmoid(q)))))
        self.messages(contact_id, channel_id, opened - timedelta(days=7), min(closed, END), q, won=won, n=n)
        if won and rng.random() < 0.4 and repeat < 3:
            self.deal(contact_id, company_id, closed + timedelta(days=rng.uniform(60, 200)), q + 0.5, stages,
                      pipeline_id, channel_id, owner_id, repeat + 1)

    def messages(self, contact_id, channel_id, start, end, q, *, won: bool, n: int) -> None:
        rng = self.rng
        if n <= 0 or end <= start:
            return
        conversation_id = self.uid()
        times = sorted(start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds())) for _ in range(n))
        times = [t for t in times if t <= END]
        if not times:
            return
        self.rows["conversations"].append({"id": conversation_id, "channel_id": channel_id, "contact_id": contact_id,
                                           "counterpart": f"{contact_id.hex[:12]}@bench.example", "subject": "Order",
                                           "status": "closed", "last_message_at": times[-1],
                                           "last_inbound_at": times[-1]})
        weights = {"purchase_intent": 0.1 + 0.3 * won, "pricing": 0.15 + 0.1 * won, "product_question": 0.3,
                   "availability": 0.15, "shipping": 0.1, "complaint": 0.03 + 0.08 * (not won)}
        for t in times:
            intent = rng.choices(list(weights), weights=list(weights.values()))[0]
            sentiment = "negative" if intent == "complaint" or rng.random() < 0.05 else "neutral"
            classification_id = self.uid()
            self.rows["classifications"].append({"id": classification_id, "text": intent, "intent": intent,
                                                 "confidence": 0.9, "priority": "normal", "sentiment": sentiment,
                                                 "model_version": 1, "created_at": t})
            self.rows["messages"].append({"id": self.uid(), "conversation_id": conversation_id,
                                          "channel_id": channel_id, "direction": "inbound", "sender": "c",
                                          "text": intent, "provider_message_id": self.uid().hex,
                                          "status": "received", "classification_id": classification_id,
                                          "processed_at": t, "occurred_at": t, "created_at": t})
            reply = t + timedelta(hours=rng.expovariate(1 / (3 if q > 0.5 else 18)))
            if reply <= END:
                self.rows["messages"].append({"id": self.uid(), "conversation_id": conversation_id,
                                              "channel_id": channel_id, "direction": "outbound", "sender": "shop",
                                              "text": "Thanks", "provider_message_id": self.uid().hex,
                                              "status": "sent", "occurred_at": reply, "created_at": reply})


TABLES = [("companies", Company), ("contacts", Contact), ("deals", Deal), ("changes", DealStageChange),
          ("conversations", Conversation), ("classifications", Classification), ("messages", Message)]


async def load(session: AsyncSession, *, contacts: int, seed: int, owner_id: uuid.UUID) -> dict[str, int]:
    pipeline = await session.scalar(select(Pipeline).where(Pipeline.is_default))
    stages = {s.name: s.id for s in await session.scalars(
        select(PipelineStage).where(PipelineStage.pipeline_id == pipeline.id))}
    channel = Channel(id=uuid.uuid4(), kind="email", name=f"bench {seed}", settings={})
    session.add(channel)
    await session.flush()
    history = History(seed)
    for _ in range(contacts):
        history.contact(stages, pipeline.id, channel.id, owner_id)
    for key, model in TABLES:
        rows = history.rows[key]
        for start in range(0, len(rows), 5000):
            await session.execute(insert(model), rows[start:start + 5000])
    await session.commit()
    return {key: len(rows) for key, rows in history.rows.items()}
