"""A manager's verdict on a reply the reply step sent on its own ("Looks right" / "Mark as wrong").

Nobody approved those replies, so without a verdict calibration never sees them. The verdict reuses the
review fields a person's approval fills: `reviewed_by_id`/`reviewed_at` say it was judged, and a
`reject_reason` says it was wrong (calibration counts it as rejected, a right one as approved). The
status stays `sent`: the reply did reach the customer. A named `intent` is a training example, as on
approval or rejection. A later verdict replaces an earlier one; each is audited.
"""

from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import utcnow
from mancrel.reply import audit, training
from mancrel.reply.exceptions import NotAutoSent
from mancrel.reply.models import Decision, Suggestion, SuggestionStatus
from mancrel.reply.repository import SuggestionRepository

WRONG_WITHOUT_REASON = "Marked as wrong"


async def record(session: AsyncSession, *, suggestion: Suggestion, verdict: Literal["right", "wrong"],
                 reason: str | None, intent: str | None, actor: Any) -> Suggestion:
    locked = await SuggestionRepository(session).get_for_update(suggestion.id)
    if locked is None or locked.decision != Decision.auto_send or locked.status != SuggestionStatus.sent:
        raise NotAutoSent("Only a reply sent automatically can be judged here; "
                          "a draft a person approved or rejected was judged then.")
    locked.reviewed_by_id, locked.reviewed_at = actor.id, utcnow()
    locked.reject_reason = (reason or WRONG_WITHOUT_REASON) if verdict == "wrong" else None
    learned = await training.learn(session, suggestion=locked, intent=intent, actor=actor) if intent else None
    audit.append(session, locked, f"judged_{verdict}", actor=actor, reason=locked.reject_reason,
                 **({"training": learned} if learned else {}))
    await session.flush()
    return locked
