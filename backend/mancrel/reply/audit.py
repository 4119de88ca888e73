"""Appending to a suggestion's audit trail (reply_suggestion_audit; the database refuses changes)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.reply.models import Suggestion, SuggestionAudit


def append(session: AsyncSession, suggestion: Suggestion, action: str, *, actor: Any | None = None,
           **data: Any) -> SuggestionAudit:
    row = SuggestionAudit(suggestion_id=suggestion.id, action=action, actor_id=getattr(actor, "id", None),
                          actor_email=getattr(actor, "email", None), data=data)
    session.add(row)
    return row
