"""Training signal from reviews: a person who approves, edits or rejects a suggestion can confirm
(or correct) the message's intent. The message joins the classifier's examples with that intent,
and once `retrain_after_reviews` confirmed messages have built up since the newest model, one
retrain is queued (`ai.retrain`), never a second while the first is still to come.

Provenance: a corrected intent goes through the classifier's own relabel (a `correction` example
naming the classification); a confirmed one is an `example` whose id the suggestion's audit row
keeps. Either way the suggestion's `confirmed_intent` and `reviewed_at` record it.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import service as ai_service
from mancrel.core.db import utcnow
from mancrel.core.state import get_state, set_state
from mancrel.inbox.models import Message
from mancrel.reply import policy as reply_policy
from mancrel.reply.models import Suggestion
from mancrel.reply.repository import SuggestionRepository
from mancrel.worker.outbox import enqueue

STATE_KEY = "reply.retrain_requested"
# A requested retrain that produced no model in this long (dead-lettered, say) no longer blocks the next.
PENDING_FOR_AT_MOST = timedelta(hours=1)
_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('mancrel.reply.retrain_request'))")


async def learn(session: AsyncSession, *, suggestion: Suggestion, intent: str, actor: Any) -> dict[str, Any]:
    """Add the suggestion's message with the intent a person confirmed; returns the provenance."""
    ai_service.check_intent(intent)
    message = await session.get(Message, suggestion.message_id)
    suggestion.confirmed_intent = intent
    if message is None:
        return {"intent": intent, "source": None}
    if intent != suggestion.intent and message.classification_id is not None:
        await ai_service.relabel(session, classification_id=message.classification_id, intent=intent,
                                 sentiment=None, actor=actor)
        provenance = {"intent": intent, "source": "correction", "classification_id": str(message.classification_id)}
    else:
        example = await ai_service.add_example(session, text=message.own_words or message.text, intent=intent,
                                               sentiment=None, actor=actor)
        provenance = {"intent": intent, "source": "example", "example_id": str(example.id)}
    provenance["retrain_queued"] = await schedule_retrain(session)
    return provenance


async def _newest_model_at(session: AsyncSession) -> datetime | None:
    newest = await ai_service.list_models(session, limit=1, cursor=None)
    return newest[0].created_at if newest else None


async def schedule_retrain(session: AsyncSession) -> bool:
    """Queue `ai.retrain` when enough reviews have confirmed intents since the newest model and
    no retrain is waiting already; True when this call queued one."""
    await session.execute(_LOCK)  # two approvals at once must not both queue one
    now, since = utcnow(), await _newest_model_at(session)
    requested = await get_state(session, STATE_KEY)
    requested_at = datetime.fromisoformat(requested["at"]) if requested else None
    waiting = requested_at is not None and (since is None or requested_at > since)
    if waiting and now - requested_at < PENDING_FOR_AT_MOST:
        return False  # one is queued and has not produced a model yet
    policy = await reply_policy.load(session)
    confirmed = await SuggestionRepository(session).confirmed_since(since)
    if confirmed < policy.retrain_after_reviews:
        return False
    enqueue(session, "ai.retrain")
    await set_state(session, STATE_KEY, {"at": now.isoformat(), "confirmed": confirmed})
    return True
