"""The catalogue freshness limit with real processes (findings B1): a shop that changed nothing for
twenty minutes still gets its product questions answered on their own; a source whose polls fail
makes product answers wait, and a person cannot approve them either until sync catches up."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from mancrel.catalog.models import CatalogEvent, CatalogSource, Product
from mancrel.core.db import commit, utcnow
from mancrel.core.permissions import Role
from mancrel.reply import policy as reply_policy
from mancrel.reply import suggestions
from mancrel.reply.exceptions import UngroundedReply
from mancrel.reply.policy import PolicyUpdate
from tests.catalog.factories import make_source
from tests.channel.factories import make_channel
from tests.factories import make_user
from tests.reply.test_end_to_end import _ask, _clean, _decided, _sync
from tests.worker.helpers import eventually

QUIET = timedelta(minutes=20)


async def _applied(db) -> bool:
    event = await db.scalar(select(CatalogEvent.status).order_by(CatalogEvent.received_at.desc()).limit(1))
    await db.commit()
    return event == "processed"


async def test_a_quiet_shop_is_answered_and_a_failing_poll_holds_answers_back(
        committed_db, committed_client, celery_worker, smtp_server):
    source = await make_source(committed_db)
    channel = await make_channel(committed_db, settings={"smtp": {
        "host": "127.0.0.1", "port": smtp_server.port, "security": "none"}}, secrets={"signing_key": "k"})
    manager = await make_user(committed_db, role=Role.manager)
    source_id, channel_id, manager_id = source.id, channel.id, manager.id
    # The limit is the default's 15 minutes; the thresholds let this plain question through (the
    # classifier's confidence is tested elsewhere; the freshness rule is the point here).
    await reply_policy.update(committed_db, data=PolicyUpdate(auto_send_threshold=0.3, approval_threshold=0.2,
                                                              max_catalog_lag_seconds=900), actor=None)
    await commit(committed_db)
    messages = []
    try:
        await _sync(committed_client, source_id, price="18.00", stock=10, updated_at="2026-12-01T10:00:00Z")
        await eventually(lambda: _applied(committed_db), within=60)
        # Twenty minutes without a change at the shop: nothing is pending, so nothing is missing.
        await committed_db.execute(update(CatalogEvent).where(CatalogEvent.source_id == source_id).values(
            received_at=CatalogEvent.received_at - QUIET, processed_at=CatalogEvent.processed_at - QUIET))
        await committed_db.execute(update(Product).where(Product.source_id == source_id).values(
            updated_at=Product.updated_at - QUIET))
        await commit(committed_db)
        messages.append(await _ask(committed_db, channel_id, "Quiet shop socks price"))
        quiet = await _decided(committed_db, messages[0], celery_worker)
        assert (quiet.decision, quiet.status) == ("auto_send", "sent"), (quiet.reasons, quiet.grounding)
        await eventually(lambda: smtp_server.inbox.received, within=60)

        # The shop is now read by polls, and they have failed since the last good one 20 minutes ago.
        await committed_db.execute(update(CatalogSource).where(CatalogSource.id == source_id).values(
            kind="feed", poll_url="https://shop.example.com/feed", poll_interval_seconds=3600,
            next_poll_at=utcnow() + timedelta(hours=1), last_poll_at=utcnow() - QUIET, poll_failures=2,
            last_poll_error="https://shop.example.com/feed answered 503"))
        await commit(committed_db)
        messages.append(await _ask(committed_db, channel_id, "Failing feed socks price"))
        held = await _decided(committed_db, messages[1], celery_worker)
        assert (held.decision, held.status) == ("approval", "pending"), held.reasons
        assert [c["kind"] for c in held.grounding["failed_claims"]] == ["stale"], held.grounding
        assert len(smtp_server.inbox.received) == 1
        # Waiting for approval, and a person cannot send it either while the catalogue is that far behind.
        manager_row = await committed_db.get(type(manager), manager_id)
        with pytest.raises(UngroundedReply) as refused:
            await suggestions.approve(committed_db, suggestion=held, text=None, actor=manager_row)
        assert [c["kind"] for c in refused.value.extra["failed_claims"]] == ["stale"]
        await committed_db.rollback()
    finally:
        await _clean(committed_db, messages, source_id)
