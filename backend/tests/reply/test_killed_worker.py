"""A real worker killed after it drafted a reply and before anything was sent: the job runs again
on a new worker process and the customer gets exactly one reply.

The kill lands at a known point, not a lucky one: this test holds the message's suggestion key
in an open transaction of its own, so the worker, once it has retrieved the facts, drafted and
checked the reply, waits on that key when it records its decision. The worker is killed while
it waits; nothing it did is committed, and the redelivered job decides and sends once."""

import os
import signal
import uuid

import psutil
from sqlalchemy import func, insert, select, text

from mancrel.core.db import commit, utcnow
from mancrel.inbox.models import Direction, Message
from mancrel.reply.models import Suggestion, SuggestionAudit
from mancrel.worker.app import celery_app
from tests.inbox.factories import make_channel
from tests.realcommit.helpers import lock_waiters
from tests.reply.factories import classified_message, make_product
from tests.worker.helpers import eventually

QUESTION = "Hi, how much are the Merino Hiking Socks?"


def _placeholder(message: Message) -> dict:
    return {"id": uuid.uuid4(), "message_id": message.id, "conversation_id": message.conversation_id,
            "intent": "pricing", "confidence": 0, "confidence_parts": {}, "decision": "approval", "reasons": [],
            "status": "pending", "facts": [], "grounding": {}, "usage": {}, "created_at": utcnow(),
            "updated_at": utcnow()}


async def test_a_worker_killed_after_drafting_and_before_sending_sends_once(committed_db, engine, smtp_server,
                                                                            celery_worker):
    db = committed_db
    await make_product(db, price="18.00", stock=7)
    channel = await make_channel(db)
    channel.settings = channel.settings | {"smtp": {"host": "127.0.0.1", "port": smtp_server.port, "security": "none"}}
    message = await classified_message(db, text=QUESTION, confidence=0.95, channel=channel)
    message_id, conversation_id = message.id, message.conversation_id
    await commit(db)
    try:
        async with engine.connect() as holder:
            held = await holder.begin()
            await holder.execute(insert(Suggestion.__table__).values(**_placeholder(message)))
            celery_app.send_task("reply.decide", kwargs={"message_id": str(message_id)})
            try:
                await eventually(lambda: lock_waiters(engine), within=120, interval=0.1)  # drafted, now recording
            except AssertionError:
                raise AssertionError(celery_worker.output()[-4000:]) from None
            (child,) = psutil.Process(celery_worker.pid).children()
            os.kill(child.pid, signal.SIGKILL)
            assert await db.scalar(select(func.count()).select_from(Suggestion).where(
                Suggestion.message_id == message_id)) == 0  # ours is not committed, theirs never will be
            await held.rollback()

        async def decided():
            db.expire_all()
            row = await db.scalar(select(Suggestion).where(Suggestion.message_id == message_id))
            await db.commit()
            return row

        suggestion = await eventually(decided, within=120, interval=0.3)  # redelivered to a new child
        assert (suggestion.decision, suggestion.status) == ("auto_send", "sent"), suggestion.reasons
        suggestion_id, sent_message_id = suggestion.id, suggestion.sent_message_id

        async def delivered():
            db.expire_all()
            rows = list(await db.scalars(select(Message).where(Message.conversation_id == conversation_id,
                                                               Message.direction == Direction.outbound)))
            await db.commit()
            return rows if rows and all(r.status == "sent" for r in rows) else None

        try:
            (sent,) = await eventually(delivered, within=90, interval=0.3)
        except AssertionError:
            rows = (await db.execute(select(Message.status, Message.failure_reason).where(
                Message.conversation_id == conversation_id))).all()
            raise AssertionError(f"{rows}\n{celery_worker.output()[-6000:]}") from None
        assert len(smtp_server.inbox.received) == 1
        body = smtp_server.inbox.received[0][2].get_body(("plain",)).get_content()
        assert "18.00 EUR" in body and sent.id == sent_message_id
        decided_rows = await db.scalar(select(func.count()).select_from(SuggestionAudit).where(
            SuggestionAudit.suggestion_id == suggestion_id, SuggestionAudit.action == "decided"))
        assert decided_rows == 1
    finally:
        await db.rollback()
        async with engine.begin() as conn:
            await conn.execute(text("TRUNCATE reply_suggestion_audit"))
            await conn.execute(text("DELETE FROM messages WHERE conversation_id = :c"), {"c": conversation_id})
