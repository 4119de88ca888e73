"""`channel.ingest_event` in batches (channel/ingest.py): a burst of deliveries is stored by fewer
jobs than deliveries, each message once, with its follow-up jobs coalesced; an unreadable delivery
in the middle of a batch fails alone, and can be replayed later."""

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import repository
from mancrel.ai.tasks import embed_contacts
from mancrel.channel import ingest, mailgun, tasks
from mancrel.channel.models import Channel, InboundEvent
from mancrel.channel.providers import PARSERS
from mancrel.core.config import get_settings
from mancrel.core.db import utcnow
from mancrel.inbox.models import Message
from mancrel.inbox.repository import InboxRepository
from mancrel.insights.profile_tasks import refresh_contact_profiles
from mancrel.worker.errors import PermanentError
from mancrel.worker.models import OutboxMessage, TaskCompletion
from mancrel.worker.task import ALREADY_DONE, run_job
from tests.channel.factories import form_body, mailgun_form, make_channel


async def _post(client, channel_id, index: int, sender: str | None, subject: str | None = None) -> None:
    fields = mailgun_form(message_id=f"<burst-{index}@customer.example>", subject=subject or f"Question {index}",
                          text=f"Do you still have item {index} in stock?")
    if sender is None:  # accepted (the signature is good), but no adapter can tell who wrote it
        del fields["from"], fields["sender"]
    else:
        fields["from"], fields["sender"] = f"Customer {index} <{sender}>", sender
    body, headers = form_body(fields)
    response = await client.post(f"/webhook/email/{channel_id}", content=body, headers=headers)
    assert response.status_code == 200, response.text


async def _events(db, channel_id) -> list[InboundEvent]:
    return list(await db.scalars(select(InboundEvent).where(InboundEvent.channel_id == channel_id)
                                 .order_by(InboundEvent.received_at).execution_options(populate_existing=True)))


async def _messages(db, channel_id) -> list[Message]:
    return list(await db.scalars(select(Message).where(Message.channel_id == channel_id)))


async def _jobs(db, task_name: str) -> list[dict]:
    return [m.kwargs for m in await db.scalars(select(OutboxMessage).where(OutboxMessage.task_name == task_name))]


async def test_a_burst_is_stored_by_one_job_each_message_once_with_follow_ups_coalesced(client, db) -> None:
    channel = await make_channel(db)
    senders = [f"buyer{i}@shop-{i}.example" for i in range(11)] + ["buyer3@shop-3.example"]  # one writes twice
    for index, sender in enumerate(senders):
        await _post(client, channel.id, index, sender, subject="Stock?" if sender == senders[3] else None)
    events = await _events(db, channel.id)
    assert len(events) == 12

    # The worker runs each delivery's job in turn, as published.
    outcomes = [await tasks.ingest_event.run_async(db, event_id=event.id) for event in events]

    assert outcomes[0] == "stored; 11 others ingested" and outcomes[1:] == ["skipped"] * 11
    messages = await _messages(db, channel.id)
    assert sorted(m.provider_message_id for m in messages) == sorted(f"burst-{i}@customer.example" for i in range(12))
    events = await _events(db, channel.id)
    assert {e.status for e in events} == {"processed"}
    assert {e.message_id for e in events} == {m.id for m in messages}
    twice = [m for m in messages if m.sender == senders[3]]
    assert len(twice) == 2 and twice[0].conversation_id == twice[1].conversation_id
    # Eleven new contacts: embedded by one job, their profiles refreshed by one job (each once).
    [embed] = await _jobs(db, "ai.embed_contacts")
    assert len(embed["contact_ids"]) == 11 and await _jobs(db, "ai.embed_contact") == []
    [refresh] = await _jobs(db, "ai.refresh_contact_profiles")
    assert sorted(refresh["contact_ids"]) == sorted(embed["contact_ids"])
    assert await _jobs(db, "ai.refresh_contact_profile") == []
    assert await refresh_contact_profiles.run_async(db, contact_ids=refresh["contact_ids"]) == 11
    assert await refresh_contact_profiles.run_async(db, contact_ids=refresh["contact_ids"]) == 0  # done already
    # Classification: one job for the batch, which takes every waiting message (processing.py).
    [classify] = [job["message_id"] for job in await _jobs(db, "ai.process_message")]
    assert classify in {str(m.id) for m in messages}
    claimed = await InboxRepository(db).claim_unclassified(uuid.UUID(classify), get_settings().ai_message_batch)
    assert {m.id for m in claimed} == {m.id for m in messages}
    await db.refresh(channel)
    assert channel.last_received_at is not None and channel.last_error is None
    # The one job makes every new sender findable, each with its own vector.
    assert await embed_contacts.run_async(db, contact_ids=embed["contact_ids"]) == 11
    for contact_id in embed["contact_ids"]:
        document = await repository.get_document(db, "contact", uuid.UUID(contact_id))
        assert document is not None and "@shop-" in document.snippet
        assert await repository.get_embedding(db, "contact", uuid.UUID(contact_id)) is not None


async def test_an_unreadable_delivery_in_a_batch_fails_alone_and_a_replay_stores_it_later(
        client, db, monkeypatch) -> None:
    channel = await make_channel(db)
    await _post(client, channel.id, 1, "first@customer.example")
    await _post(client, channel.id, 2, None)  # the poisoned one, between two good ones
    await _post(client, channel.id, 3, "third@customer.example")
    first, poisoned, third = await _events(db, channel.id)

    assert await tasks.ingest_event.run_async(db, event_id=first.id) == "stored; 1 others ingested"

    assert {m.sender for m in await _messages(db, channel.id)} == {"first@customer.example", "third@customer.example"}
    first, poisoned, third = await _events(db, channel.id)
    assert (first.status, third.status) == ("processed", "processed")
    assert poisoned.status == "failed" and "names no sender" in poisoned.error and poisoned.message_id is None
    await db.refresh(channel)
    assert "names no sender" in channel.last_error
    # Its own job still fails it for good, which sends it to the dead letters; the third's job has nothing left.
    with pytest.raises(PermanentError, match="names no sender"):
        await tasks.ingest_event.run_async(db, event_id=poisoned.id)
    assert await tasks.ingest_event.run_async(db, event_id=third.id) == "skipped"
    assert len(await _messages(db, channel.id)) == 2

    # Later the adapter learns to read it (here: the envelope's address stands in); the replay stores it.
    def fixed(body: bytes, content_type: str):
        if b"sender=" not in body:
            body += b"&sender=second%40customer.example"
        return mailgun.parse(body, content_type)

    monkeypatch.setitem(PARSERS, "mailgun", fixed)
    assert await tasks.ingest_event.run_async(db, event_id=poisoned.id) == "stored"
    assert await db.scalar(select(func.count()).select_from(Message).where(Message.channel_id == channel.id)) == 3
    [poisoned] = [e for e in await _events(db, channel.id) if e.id == poisoned.id]
    assert poisoned.status == "processed" and poisoned.error is None
    assert (await db.get(Channel, channel.id)) is not None



async def test_the_job_of_a_delivery_a_batch_stored_skips_without_writing_even_when_redelivered(
        engine, committed_db) -> None:
    channel = await make_channel(committed_db)
    stored = InboundEvent(channel_id=channel.id, dedupe_key="<stored@customer.example>", provider="mailgun",
                          body=b"by another batch", status="processed", processed_at=utcnow())
    waiting = InboundEvent(channel_id=channel.id, dedupe_key="<waiting@customer.example>", provider="mailgun",
                           body=b"not yet")
    committed_db.add_all([stored, waiting])
    await committed_db.commit()

    results = [await run_job(tasks.ingest_event.run_async, {"event_id": stored.id}, task_id=str(stored.id),
                             task_name=tasks.ingest_event.name, done_when=tasks.ingest_event.done_when)
               for _ in range(2)]  # the second: the broker delivering the job again

    assert results == [ALREADY_DONE, ALREADY_DONE]
    async with AsyncSession(engine) as session:
        assert await session.scalar(select(func.count()).select_from(TaskCompletion)) == 0
        assert await ingest.already_ingested(session, waiting.id) is False  # a pending one is done by its job
        assert await ingest.already_ingested(session, uuid.uuid4()) is True  # pruned since: nothing to do
