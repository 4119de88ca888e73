"""A WhatsApp status that must wait for its reply, in the middle of an ingest batch (channel/ingest.py)."""

import pytest
from sqlalchemy import select

from mancrel.channel import tasks
from mancrel.inbox.models import Message
from mancrel.worker.errors import TransientError
from tests.channel.meta.factories import events_of, make_meta_channel, post, wa_delivery, wa_message, wa_status


async def _messages(db, channel_id) -> list[Message]:
    return list(await db.scalars(select(Message).where(Message.channel_id == channel_id)))


async def test_a_status_waiting_for_its_reply_is_left_pending_while_the_batch_around_it_is_stored(client, db) -> None:
    # Meta may report "sent" before our send job stored the reply's wamid: that status waits (its own job
    # retries it), and the customers' messages delivered with it are stored meanwhile.
    channel = await make_meta_channel(db)
    await post(client, channel.id, wa_delivery(wa_message(wa_id="4915111111111", body="Do you ship to Berlin?")))
    await post(client, channel.id, wa_delivery(statuses=[wa_status("wamid.SOON", "sent")]))
    await post(client, channel.id, wa_delivery(wa_message(wa_id="4915222222222", body="Is the lamp in stock?")))
    first, status, third = await events_of(db, channel.id)

    assert await tasks.ingest_event.run_async(db, event_id=first.id) == "stored; 1 others ingested"

    first, status, third = await events_of(db, channel.id)
    assert (first.status, status.status, third.status) == ("processed", "pending", "processed")
    assert len(await _messages(db, channel.id)) == 2
    with pytest.raises(TransientError):
        await tasks.ingest_event.run_async(db, event_id=status.id)
