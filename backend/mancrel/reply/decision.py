"""`reply.decide`: for one classified inbound message, retrieve facts, draft, check grounding,
decide, and act (send, ask for approval, or escalate to a person), recording it all.

Runs in the job's one transaction: the suggestion, its audit rows, the outbound message and its
email job commit together or not at all, so a worker killed before the commit leaves nothing,
and the redelivered job decides (and sends) once.
"""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel import events
from mancrel.ai.models import Classification
from mancrel.channel.models import Channel
from mancrel.contact import service as contact_service
from mancrel.core import product_metrics
from mancrel.core.db import utcnow
from mancrel.inbox import service as inbox_service
from mancrel.inbox.exceptions import CannotReply
from mancrel.inbox.models import Conversation, Direction, Message
from mancrel.reply import audit, coverage, escalation, gate, grounding, retrieval, superseding
from mancrel.reply import policy as reply_policy
from mancrel.reply.facts import Facts, flatten
from mancrel.reply.local_provider import LocalProvider
from mancrel.reply.models import Decision, Suggestion, SuggestionStatus
from mancrel.reply.openai_provider import OpenAIProvider
from mancrel.reply.policy import Mode, Policy, Provider
from mancrel.reply.provider import DraftRequest, ReplyProvider
from mancrel.reply.repository import SuggestionRepository

PROVIDERS: dict[str, ReplyProvider] = {Provider.local: LocalProvider(), Provider.openai: OpenAIProvider()}
STATUS = {Decision.auto_send: SuggestionStatus.sent, Decision.approval: SuggestionStatus.pending,
          Decision.escalate: SuggestionStatus.escalated, Decision.ignore: SuggestionStatus.ignored}


def _loop_guard(message: Message, channel: Channel | None) -> str | None:
    """Messages never answered at all: automated mail, our own, or not a customer's."""
    if message.direction != Direction.inbound:
        return "our own message"
    if message.is_junk:
        return f"automated mail ({message.junk_reason or 'junk'})"
    shop = ((channel.settings or {}).get("address") or "").strip().lower() if channel is not None else ""
    if shop and message.sender == shop:
        return "a message from the shop's own address"
    return None


async def decide_message(session: AsyncSession, message_id: uuid.UUID) -> Suggestion | None:
    """The suggestion made for the message (the existing one when it was decided before)."""
    repo = SuggestionRepository(session)
    message = await session.get(Message, message_id)
    if message is None or message.classification_id is None:
        return None  # gone, or not classified yet (ai.process_message queues this job after it is)
    existing = await repo.for_message(message_id)
    policy = await reply_policy.load(session)
    if existing is not None or policy.mode == Mode.off:
        return existing
    conversation = await session.get(Conversation, message.conversation_id)
    classification = await session.get(Classification, message.classification_id)
    if conversation is None or classification is None:
        return None
    contact = await contact_service.get(session, conversation.contact_id) if conversation.contact_id else None
    suggestion = Suggestion(
        id=uuid.uuid4(), message_id=message.id, conversation_id=conversation.id,
        contact_id=contact.id if contact is not None else None,
        intent=classification.corrected_intent or classification.intent, confidence=classification.confidence,
        confidence_parts={"head_probability": classification.head_probability, "margin": classification.margin,
                          "oos_score": classification.oos_score, "out_of_scope": classification.out_of_scope,
                          "near_limit": classification.near_limit, "language": classification.language},
        classifier_version=classification.model_version, facts=[], grounding={}, usage={}, reasons=[])
    ignored = _loop_guard(message, await session.get(Channel, message.channel_id))
    if ignored is not None:
        verdict = gate.Verdict(Decision.ignore, [ignored])
    else:
        verdict = await _draft_and_gate(session, suggestion, message, contact, policy)
    suggestion.decision, suggestion.reasons = verdict.decision, verdict.reasons
    suggestion.status = SuggestionStatus.shadow if policy.mode == Mode.shadow else STATUS[verdict.decision]
    if not await _insert(session, suggestion):
        return await repo.for_message(message_id)  # a concurrent job decided it first
    audit.append(session, suggestion, "decided", message={"id": str(message.id), "text": message.text,
                                                          "own_words": message.own_words},
                 facts=suggestion.facts, provider=suggestion.provider, model_version=suggestion.model_version,
                 prompt_version=suggestion.prompt_version, classifier_version=suggestion.classifier_version,
                 confidence=float(suggestion.confidence), confidence_parts=suggestion.confidence_parts,
                 draft=suggestion.draft_text, grounding=suggestion.grounding, decision=suggestion.decision,
                 reasons=suggestion.reasons, mode=policy.mode, usage=suggestion.usage)
    if policy.mode == Mode.live:
        await _act(session, suggestion, conversation, contact, classification.priority)
    product_metrics.decided(decision=suggestion.decision, intent=suggestion.intent, mode=policy.mode,
                            grounded=suggestion.grounding.get("ok"), received_at=message.created_at)
    await session.flush()
    return suggestion


async def _draft_and_gate(session: AsyncSession, suggestion: Suggestion, message: Message, contact: Any,
                          policy: Policy) -> gate.Verdict:
    confidence = float(suggestion.confidence)
    early = gate.decide(policy, intent=suggestion.intent, confidence=confidence, has_draft=True, grounded=True)
    if early.decision in (Decision.ignore, Decision.escalate):
        return early  # no drafting for what will not be answered
    words = message.own_words or message.text
    facts = await retrieval.retrieve(session, text=words, intent=suggestion.intent)
    draft = await PROVIDERS[policy.provider].draft(DraftRequest(
        intent=suggestion.intent, language=suggestion.confidence_parts.get("language") or "en",
        customer_name=(getattr(contact, "first_name", "") or message.sender_name.split(" ")[0]).strip(),
        customer_text=words, facts=facts, signature=policy.signature))
    suggestion.facts, suggestion.draft_text = flatten(facts), draft.text
    suggestion.provider, suggestion.model_version, suggestion.prompt_version = (
        draft.provider, draft.model_version, draft.prompt_version)
    suggestion.usage = draft.usage
    checked = None
    if draft.text is not None:
        checked = await grounding.check(session, draft=draft.text, facts=facts,
                                        customer_text=f"{words}\n{policy.signature}",
                                        max_age_seconds=policy.max_catalog_lag_seconds)
        suggestion.grounding = checked.as_json()
    blockers = await _blockers(session, suggestion, facts, policy)
    if draft.text is not None:
        blockers += coverage.gaps(customer_text=words, draft=draft.text, facts=facts, intent=suggestion.intent)
    return gate.decide(policy, intent=suggestion.intent, confidence=confidence, has_draft=draft.text is not None,
                       grounded=checked is not None and checked.ok, blockers=blockers,
                       no_draft_reason=draft.reason)


# How a product was found when the customer did not name it exactly (SKU or whole title): a reply about
# it may be about the wrong product, so a person sends it.
UNSURE_MATCHES = frozenset({"search", "loose"})

# Intents whose answer is about the product the customer names: a draft that leaves it out (a policy
# text alone) has not answered the question, however confident the classification. Shipping too: "can the
# lantern go by air?", "how long to Norway for the tent?" depend on the product (batteries, bulk, where
# it ships from), and the general delivery text answers neither.
ANSWERS_ABOUT_THE_PRODUCT = frozenset({"support", "product_question", "availability", "pricing", "shipping"})


async def _blockers(session: AsyncSession, suggestion: Suggestion, facts: Facts, policy: Policy) -> list[str]:
    """What keeps a confident, grounded draft from going out on its own."""
    repo = SuggestionRepository(session)
    found: list[str] = []
    if facts.products and all(p.match == "search" for p in facts.products):
        found.append("the product was found by search, not named by the customer")
    elif facts.products and all(p.match in UNSURE_MATCHES for p in facts.products):
        found.append("the product was recognised from a loose mention, not named exactly by the customer")
    named = [p for p in facts.products if p.match != "search"]
    if (named and suggestion.draft_text and suggestion.intent in ANSWERS_ABOUT_THE_PRODUCT
            and not any(p.named_in(suggestion.draft_text) for p in named)):
        # "How do I set the grinder finer?" answered with the warranty text alone: true, but no answer.
        found.append("the draft does not mention the product the customer asked about")
    quiet = policy.quiet_hours
    if quiet is not None and quiet.contains(utcnow()):
        found.append(f"quiet hours ({quiet.start:%H:%M}-{quiet.end:%H:%M} {quiet.timezone}): nothing is sent "
                     "automatically")
    conversation = await session.get(Conversation, suggestion.conversation_id)
    if conversation is not None and not await inbox_service.reply_window_open(session, conversation):
        # WhatsApp / Messenger take free-form replies only within 24 hours of the customer's last message.
        found.append("window closed: the channel's 24-hour reply window has passed; a person decides "
                     "how to answer")
    if await repo.last_outbound_was_automatic(suggestion.conversation_id):
        found.append("the last reply in this conversation was automatic; a person answers next")
    if suggestion.contact_id is not None and await repo.never_auto_reply(suggestion.contact_id):
        found.append("this contact is never answered automatically")
    if suggestion.contact_id is not None:
        sent = await repo.auto_sent_since(suggestion.contact_id, utcnow() - timedelta(days=1))
        if sent >= policy.daily_auto_replies_per_contact:
            found.append(f"{sent} automatic replies to this contact in the last 24 hours "
                         f"(cap {policy.daily_auto_replies_per_contact})")
    return found


async def _insert(session: AsyncSession, suggestion: Suggestion) -> bool:
    try:
        async with session.begin_nested():
            session.add(suggestion)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def _act(session: AsyncSession, suggestion: Suggestion, conversation: Conversation, contact: Any,
               priority: str | None) -> None:
    owner_id = getattr(contact, "owner_id", None)
    if suggestion.decision == Decision.auto_send:
        try:
            sent = await inbox_service.reply(session, conversation=conversation, text=suggestion.draft_text,
                                             actor=None)
        except CannotReply as exc:
            suggestion.decision, suggestion.status = Decision.escalate, SuggestionStatus.escalated
            suggestion.reasons = [*suggestion.reasons, f"could not send: {exc.detail}"]
        else:
            suggestion.sent_message_id, suggestion.sent_text = sent.id, sent.text
            audit.append(session, suggestion, "sent", message_id=str(sent.id), text=sent.text)
            await superseding.retire_answered(session, conversation_id=conversation.id, answer=sent)
            return
    if suggestion.decision == Decision.escalate:
        task = await escalation.escalate(session, suggestion=suggestion, conversation=conversation,
                                         contact=contact, priority=priority)
        audit.append(session, suggestion, "escalated", assignee_id=str(task.assignee_id) if task.assignee_id else None,
                     task_id=str(task.id), due_at=task.due_at.isoformat(), reasons=suggestion.reasons)
    elif suggestion.decision == Decision.approval:
        # The draft waits for a person: routing names them (the conversation's assignee).
        chosen = await escalation.assign(session, suggestion=suggestion, conversation=conversation, owner_id=owner_id)
        payload = {"suggestion_id": str(suggestion.id), "conversation_id": str(conversation.id),
                   "message_id": str(suggestion.message_id), "intent": suggestion.intent,
                   "assignee_id": str(chosen.user_id) if chosen.user_id else None}
        for audience in escalation.audiences(owner_id, chosen.user_id):
            events.publish_after_commit(session, "reply.suggested", payload, audience=audience)
