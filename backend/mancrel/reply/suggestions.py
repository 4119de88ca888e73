"""Suggestions: the list (visibility as for their conversations), approval with an optional edit
(checked for grounding again against the catalogue as synced now, then sent; refused with 409 when the
conversation was answered since: superseding.py), and rejection."""

import difflib
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core import product_metrics
from mancrel.core.db import utcnow
from mancrel.core.pagination import decode_cursor
from mancrel.core.permissions import Actor
from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, Message
from mancrel.reply import audit, grounding, retrieval, superseding, training
from mancrel.reply import policy as reply_policy
from mancrel.reply.exceptions import SuggestionNotFound, SuggestionNotPending, UngroundedReply
from mancrel.reply.facts import knowledge_ids, product_ids
from mancrel.reply.models import Suggestion, SuggestionAudit, SuggestionStatus
from mancrel.reply.repository import SuggestionRepository


async def list_page(session: AsyncSession, *, actor: Actor, status: list[str] | None,
                    conversation_id: uuid.UUID | None,
                    intent: str | None, assignee_id: uuid.UUID | None, limit: int,
                    cursor: str | None, decision: list[str] | None = None, since: datetime | None = None,
                    until: datetime | None = None) -> list[Suggestion]:
    where: list[Any] = []
    if status:
        where.append(Suggestion.status.in_(status))
    if decision:
        where.append(Suggestion.decision.in_(decision))
    if since is not None:
        where.append(Suggestion.created_at >= since)
    if until is not None:
        where.append(Suggestion.created_at < until)
    if conversation_id:
        where.append(Suggestion.conversation_id == conversation_id)
    if intent:
        where.append(Suggestion.intent == intent)
    if assignee_id:
        where.append(Conversation.assignee_id == assignee_id)
    after = tuple(decode_cursor(cursor, [datetime.fromisoformat, uuid.UUID])) if cursor else None
    repo = SuggestionRepository(session)
    return await repo.page(repo.visible(actor, where), limit=limit, after=after)


async def get_visible(session: AsyncSession, suggestion_id: uuid.UUID, actor: Actor) -> Suggestion:
    suggestion = await SuggestionRepository(session).get_visible(suggestion_id, actor)
    if suggestion is None:
        raise SuggestionNotFound(f"No suggestion with id {suggestion_id}.")
    return suggestion


async def audit_trail(session: AsyncSession, suggestion: Suggestion) -> list[SuggestionAudit]:
    return await SuggestionRepository(session).audit_of(suggestion.id)


async def _pending(session: AsyncSession, suggestion: Suggestion) -> Suggestion:
    locked = await SuggestionRepository(session).get_for_update(suggestion.id)
    if locked is None or locked.status != SuggestionStatus.pending:
        raise SuggestionNotPending(f"The suggestion is {locked.status if locked else 'gone'}, not pending.")
    return locked


async def regrounded(session: AsyncSession, suggestion: Suggestion, text: str) -> grounding.Grounding:
    """`text` checked against the suggestion's facts as they read now."""
    policy = await reply_policy.load(session)
    matches = {uuid.UUID(r["product_id"]): r.get("match", "name") for r in suggestion.facts if r.get("product_id")}
    facts = await retrieval.current(session, product_ids=product_ids(suggestion.facts),
                                    knowledge_ids=knowledge_ids(suggestion.facts), matches=matches)
    message = await session.get(Message, suggestion.message_id)
    words = (message.own_words or message.text) if message is not None else ""
    return await grounding.check(session, draft=text, facts=facts, customer_text=f"{words}\n{policy.signature}",
                                 max_age_seconds=policy.max_catalog_lag_seconds)


async def approve(session: AsyncSession, *, suggestion: Suggestion, text: str | None, actor: Any,
                  intent: str | None = None) -> Suggestion:
    """Send the draft (or `text`); `intent` corrects the message's intent when the classifier was wrong."""
    suggestion = await _pending(session, suggestion)
    await superseding.refuse_if_answered(session, suggestion)
    final = (text if text is not None else suggestion.draft_text or "").strip()
    if not final:
        raise UngroundedReply("There is no draft to send; write the reply in `text`.", failed_claims=[])
    checked = await regrounded(session, suggestion, final)
    if not checked.ok:
        raise UngroundedReply("The reply states things the facts (as synced now) do not support; fix or remove "
                              "them.", failed_claims=checked.failed_claims)
    conversation = await session.get(Conversation, suggestion.conversation_id)
    sent = await inbox_service.reply(session, conversation=conversation, text=final, actor=actor)
    edited = final != (suggestion.draft_text or "").strip()
    suggestion.status = SuggestionStatus.edited if edited else SuggestionStatus.approved
    suggestion.sent_message_id, suggestion.sent_text = sent.id, final
    suggestion.reviewed_by_id, suggestion.reviewed_at = actor.id, utcnow()
    diff = "\n".join(difflib.unified_diff((suggestion.draft_text or "").splitlines(), final.splitlines(),
                                          "draft", "sent", lineterm="")) if edited else ""
    # Training signal: a person sent a reply to this message, so its intent (the suggestion's, or
    # the one they corrected it to) is confirmed; the classifier learns it at its next retrain.
    learned = await training.learn(session, suggestion=suggestion, intent=intent or suggestion.intent, actor=actor)
    await superseding.retire_answered(session, conversation_id=suggestion.conversation_id, answer=sent)
    product_metrics.reviewed(suggestion.status)
    audit.append(session, suggestion, suggestion.status, actor=actor, message_id=str(sent.id), text=final,
                 diff=diff, grounding=checked.as_json(), training=learned,
                 training_example_id=learned.get("example_id"))
    await session.flush()
    return suggestion


async def reject(session: AsyncSession, *, suggestion: Suggestion, reason: str, actor: Any,
                 intent: str | None = None) -> Suggestion:
    """A rejected draft says nothing of the intent, unless the reviewer names it (`intent`):
    then the message is a training example like an approved one."""
    suggestion = await _pending(session, suggestion)
    suggestion.status, suggestion.reject_reason = SuggestionStatus.rejected, reason
    suggestion.reviewed_by_id, suggestion.reviewed_at = actor.id, utcnow()
    learned = await training.learn(session, suggestion=suggestion, intent=intent, actor=actor) if intent else None
    audit.append(session, suggestion, "rejected", actor=actor, reason=reason,
                 **({"training": learned} if learned else {}))
    product_metrics.reviewed("rejected")
    await session.flush()
    return suggestion
