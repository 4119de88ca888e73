"""Tell open browsers that products changed, once the change is committed.

Every sync route (webhook drains, polls, reconciliations, refreshes) writes products through
`service.apply_products`; reconciliations also tombstone. Each notes here what it wrote, and
the unit of work sends at most one `product.updated` and one `product.deleted` event after it
commits, whatever the number of products or upsert batches in it: a drain of 500 deliveries is
one event, not 500 (the browser refetches what it shows, so one nudge per transaction is all it
needs). Products are the whole team's, so the audience is everyone signed in (`None`).

The payload names the products (`product_ids`) up to `MAX_IDS`, so an open product view knows
whether to refetch; past that it says `truncated` and the browser refetches every product it
shows. A rolled-back transaction sends nothing; an ids list that includes a product whose
savepoint was later rolled back (sync._apply_isolated's fallback) costs one needless refetch.
"""

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel import events
from mancrel.core.db import after_commit

UPDATED = "product.updated"
DELETED = "product.deleted"
MAX_IDS = 200
_KEY = "catalog_live_changes"


def note_changes(session: AsyncSession, *, updated: Iterable[uuid.UUID] = (),
                 deleted: Iterable[uuid.UUID] = ()) -> None:
    """Remember products written in this unit of work; the first note arranges the events."""
    changes: dict[str, set[uuid.UUID]] | None = session.info.get(_KEY)
    if changes is None:
        changes = session.info[_KEY] = {UPDATED: set(), DELETED: set()}
        after_commit(session, lambda: _publish(session))
    changes[UPDATED].update(updated)
    changes[DELETED].update(deleted)


def payload_for(product_ids: set[uuid.UUID]) -> dict:
    ids = sorted(str(product_id) for product_id in product_ids)
    return {"product_ids": ids[:MAX_IDS], "count": len(ids), "truncated": len(ids) > MAX_IDS}


async def _publish(session: AsyncSession) -> None:
    changes = session.info.pop(_KEY, None) or {}
    for topic in (UPDATED, DELETED):
        # A product deleted later in the same transaction is only deleted.
        ids = changes.get(topic, set()) - (changes.get(DELETED, set()) if topic == UPDATED else set())
        if ids:
            await events.publish(topic, payload_for(ids), audience=None)
