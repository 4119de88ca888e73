""""This contact's data changed": the one call other domains make so the interest profile follows.

A floor below the domains (it imports only the worker's outbox and its own table), so the deal,
inbox and activity services can call it without importing the insights services that read them.

Debounced per contact: each change writes a request row in the changing transaction and enqueues
`ai.refresh_contact_profile`. The job deletes every committed request of the contact first thing,
then recomputes from what is committed; a job that deletes none finds its work already done by an
earlier one and returns at once. So a burst of changes (ten messages in a thread, a deal and its
line items saved together) costs one recomputation, while a change committed after a job's read
still has its own row, and its own job, and is never lost. Synchronous on purpose: `deal/links.py`
calls it from the place every deal change already passes through.
"""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import utcnow
from mancrel.insights.profile_models import ProfileRequest
from mancrel.worker.outbox import enqueue

TASK = "ai.refresh_contact_profile"
MANY_TASK = "ai.refresh_contact_profiles"
BATCHED = "profile_refresh_batched"  # session.info: contact ids collected by `refreshes_batched`


def request_refresh(session: AsyncSession, contact_id: uuid.UUID | None) -> None:
    """Ask for the contact's profile to be recomputed after this transaction commits."""
    if contact_id is None:
        return
    # One request per contact and transaction is enough; they are kept per transaction (a session
    # that commits and goes on, like a job's or a test's, must ask again in the next one).
    transaction = session.get_transaction()
    held = session.info.get("profile_refresh_asked")
    if held is None or held[0] is not transaction:
        held = session.info["profile_refresh_asked"] = (transaction, {})
    asked: dict[uuid.UUID, ProfileRequest] = held[1]
    earlier = asked.get(contact_id)
    # A request rolled back with a savepoint (a batch's failed delivery) is transient again: ask anew.
    if earlier is not None and not inspect(earlier).transient:
        return
    asked[contact_id] = request = ProfileRequest(id=uuid.uuid4(), contact_id=contact_id, requested_at=utcnow())
    session.add(request)
    batched = session.info.get(BATCHED)
    if batched is None:
        enqueue(session, TASK, contact_id=contact_id)
    else:
        batched.append(contact_id)


@asynccontextmanager
async def refreshes_batched(session: AsyncSession) -> AsyncIterator[None]:
    """Within: the contacts asked for are refreshed by ONE `ai.refresh_contact_profiles` job, queued
    when the block ends, instead of one job each (an intake batch of mail from many new customers).
    Each still has its request row, so the debounce above holds. An error inside queues nothing."""
    session.info[BATCHED] = []
    try:
        yield
        contact_ids = session.info.get(BATCHED) or []
        if contact_ids:
            enqueue(session, MANY_TASK, contact_ids=[str(c) for c in contact_ids])
    finally:
        session.info.pop(BATCHED, None)
