"""The scope of an analytics request: its days, and whose rows it may read.

`from`/`to` are UTC days, both included (default: the last 30 days). A rep reads their own rows
and the unassigned ones (the owner rule of core/permissions, on the rollups' owner key); a
manager or admin everyone's. `owner_id` and `team_id` narrow that further, never widen it: a rep
asking for a colleague gets empty figures, not theirs.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import Depends, Query

from mancrel.analytics.exceptions import InvalidRange
from mancrel.auth.dependencies import CurrentUser
from mancrel.core.db import SessionDep, utcnow
from mancrel.core.permissions import visible_owner_values
from mancrel.deal.models import NIL_OWNER
from mancrel.team import service as team_service

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366 + 1


@dataclass(frozen=True)
class Scope:
    first: date
    last: date
    owners: frozenset[uuid.UUID] | None  # None: every owner key


def _range(first: date | None, last: date | None) -> tuple[date, date]:
    last = last or utcnow().date()
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    errors = []
    if first > last:
        errors.append({"field": "from", "in": "query", "message": "must not be after `to`"})
    elif (last - first).days + 1 > MAX_DAYS:
        errors.append({"field": "from", "in": "query", "message": f"the range may span at most {MAX_DAYS} days"})
    if errors:
        raise InvalidRange(f"`from` ({first}) and `to` ({last}) do not make a range of 1 to {MAX_DAYS} days.",
                           errors=errors)
    return first, last


async def analytics_scope(
        user: CurrentUser, session: SessionDep,
        first: Annotated[date | None, Query(alias="from", description="first UTC day, included")] = None,
        last: Annotated[date | None, Query(alias="to", description="last UTC day, included (default today)")] = None,
        owner_id: Annotated[uuid.UUID | None, Query(description="one owner's figures")] = None,
        team_id: Annotated[uuid.UUID | None, Query(description="the figures of a team's members")] = None,
) -> Scope:
    first, last = _range(first, last)
    visible = visible_owner_values(user, nobody=NIL_OWNER)
    owners = frozenset(visible) if visible is not None else None
    if owner_id is not None:
        owners = frozenset({owner_id}) & owners if owners is not None else frozenset({owner_id})
    if team_id is not None:
        members = frozenset((await team_service.get(session, team_id)).member_ids)
        owners = members & owners if owners is not None else members
    return Scope(first=first, last=last, owners=owners)


ScopeDep = Annotated[Scope, Depends(analytics_scope)]
