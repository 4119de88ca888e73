"""A pending draft whose conversation was answered after its message is retired (`superseded`): sending it
would give the customer a second answer to a question a person (or another suggestion) already answered.

- Our own sends retire the rest: an approved or automatic reply retires the conversation's other pending
  drafts written for messages that arrived before it (`retire_answered`).
- A reply of ours reaching the customer (a person's from the composer too) retires them as well, in
  `reply.conversation_answered` (`retire_after_delivery`), and the open card refreshes.
- Approving before that job ran (the reply still queued) is caught at approval: the draft is retired there,
  and the approval answers 409 "already answered at <time> by <name>" with nothing sent (`AlreadyAnswered`
  keeps the retirement, so the card shows it on its next read).
Each retirement is an audit step naming the answering message. A reply that failed does not count: the
customer was not answered by it.
"""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.inbox import service as inbox_service
from mancrel.inbox.models import Conversation, Direction, Message
from mancrel.reply import audit
from mancrel.reply.exceptions import AlreadyAnswered
from mancrel.reply.models import Suggestion, SuggestionStatus
from mancrel.reply.repository import REACHED_CUSTOMER, SuggestionRepository
from mancrel.user.models import User


async def who_answered(session: AsyncSession, answer: Message) -> str:
    if answer.author_id is None:
        return "an automatic reply"
    author = await session.get(User, answer.author_id)
    return (author.full_name or author.email) if author is not None else "a former user"


async def _retire(session: AsyncSession, suggestion: Suggestion, answer: Message, by: str) -> None:
    suggestion.status = SuggestionStatus.superseded
    audit.append(session, suggestion, "superseded", message_id=str(answer.id), answered_by=by,
                 author_id=str(answer.author_id) if answer.author_id else None,
                 answered_at=answer.created_at.isoformat())


async def refuse_if_answered(session: AsyncSession, suggestion: Suggestion) -> None:
    """Before approving: a conversation answered since the draft's message retires the draft and refuses."""
    message = await session.get(Message, suggestion.message_id)
    if message is None:
        return
    answer = await SuggestionRepository(session).newest_answer_since(suggestion, message.created_at)
    if answer is None:
        return
    by = await who_answered(session, answer)
    await _retire(session, suggestion, answer, by)
    await session.flush()
    raise AlreadyAnswered(f"This message was already answered at {answer.created_at:%H:%M} UTC on "
                          f"{answer.created_at:%d %b} by {by}; the draft was not sent.",
                          answered_at=answer.created_at.isoformat(), answered_by=by, message_id=str(answer.id))


async def retire_answered(session: AsyncSession, *, conversation_id: uuid.UUID, answer: Message) -> int:
    """After one of our replies: the conversation's other pending drafts it answers are retired."""
    stale = [s for s in await SuggestionRepository(session).pending_before(conversation_id, answer)
             if s.sent_message_id != answer.id]
    if stale:
        by = await who_answered(session, answer)
        for suggestion in stale:
            await _retire(session, suggestion, answer, by)
        await session.flush()
    return len(stale)


async def retire_after_delivery(session: AsyncSession, message_id: uuid.UUID) -> int:
    """A reply of ours reached the customer: the drafts it answered are retired, and the card refreshes."""
    answer = await session.get(Message, message_id)
    if answer is None or answer.direction != Direction.outbound or answer.status not in REACHED_CUSTOMER:
        return 0
    retired = await retire_answered(session, conversation_id=answer.conversation_id, answer=answer)
    conversation = await session.get(Conversation, answer.conversation_id)
    if retired and conversation is not None:
        owner_id = await inbox_service.owner_of(session, conversation)
        inbox_service.publish_conversation_event(session, conversation, owner_id)
    return retired
