"""IMAP polling against a real Dovecot: backfill, new mail, a poll killed half way, a re-numbered
mailbox (UIDVALIDITY change): every mail stored exactly once, each with its ingest job."""

import asyncio
import time

import aioimaplib
import pytest
from sqlalchemy import select

from mancrel.channel import imap
from mancrel.channel.models import ImapCursor, InboundEvent
from mancrel.worker.models import OutboxMessage
from tests.channel.conftest import SHOP_PASSWORD, SHOP_USER
from tests.channel.factories import make_channel


def _mail(n: int) -> bytes:
    return (f"From: Customer {n} <c{n}@customer.example>\r\nTo: {SHOP_USER}\r\nSubject: Question {n}\r\n"
            f"Message-ID: <q{n}@customer.example>\r\n\r\nQuestion number {n}\r\n").encode()


async def _append(dovecot, *numbers: int, days_old: int = 0) -> None:
    client = aioimaplib.IMAP4(host="127.0.0.1", port=dovecot.port, timeout=10)
    await client.wait_hello_from_server()
    await client.login(SHOP_USER, SHOP_PASSWORD)
    for n in numbers:
        response = await client.append(_mail(n), mailbox="INBOX", date=time.time() - days_old * 86400)
        assert response.result == "OK", response
    await client.logout()


async def _stored(db, channel_id) -> list[str]:
    db.expire_all()
    return sorted(await db.scalars(select(InboundEvent.dedupe_key).where(InboundEvent.channel_id == channel_id)))


@pytest.fixture
async def mailbox(committed_db, dovecot):
    channel = await make_channel(committed_db, inbound="imap", secrets={"imap_password": SHOP_PASSWORD}, settings={
        "imap": {"host": "127.0.0.1", "port": dovecot.port, "username": SHOP_USER, "tls": False, "backfill_days": 7}})
    await committed_db.commit()
    account = imap.ImapAccount.of(channel.settings, {"imap_password": SHOP_PASSWORD})
    return channel.id, account


async def test_backfill_then_new_mail_then_nothing_twice(committed_db, dovecot, mailbox) -> None:
    channel_id, account = mailbox
    await _append(dovecot, 1, days_old=30)  # outside the 7-day backfill window
    await _append(dovecot, 2, 3)

    assert await imap.poll(channel_id, account) == 2
    assert await _stored(committed_db, channel_id) == ["q2@customer.example", "q3@customer.example"]
    await _append(dovecot, 4)
    assert await imap.poll(channel_id, account) == 1
    assert await imap.poll(channel_id, account) == 0  # a new connection: the cursor lives in the database

    assert await _stored(committed_db, channel_id) == [f"q{n}@customer.example" for n in (2, 3, 4)]
    jobs = list(await committed_db.scalars(select(OutboxMessage).where(
        OutboxMessage.task_name == "channel.ingest_event")))
    assert len(jobs) == 3
    cursor = await committed_db.scalar(select(ImapCursor).where(ImapCursor.channel_id == channel_id))
    assert cursor.last_uid == 4 and cursor.mailbox == "INBOX"


async def test_a_poll_killed_half_way_resumes_without_gaps_or_duplicates(committed_db, dovecot, mailbox,
                                                                        monkeypatch) -> None:
    channel_id, account = mailbox
    await _append(dovecot, 1, 2, 3, 4, 5)
    monkeypatch.setattr(imap, "FETCH_BATCH", 2)
    real_store, calls = imap._store_batch, []

    async def dies_on_the_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ConnectionResetError("worker killed")
        return await real_store(*args, **kwargs)

    monkeypatch.setattr(imap, "_store_batch", dies_on_the_second_batch)
    with pytest.raises(ConnectionResetError):
        await imap.poll(channel_id, account)
    assert await _stored(committed_db, channel_id) == ["q1@customer.example", "q2@customer.example"]

    monkeypatch.setattr(imap, "_store_batch", real_store)
    assert await imap.poll(channel_id, account) == 3
    assert await _stored(committed_db, channel_id) == [f"q{n}@customer.example" for n in range(1, 6)]


async def test_uidvalidity_change_resyncs_without_duplicates(committed_db, dovecot, mailbox) -> None:
    channel_id, account = mailbox
    await _append(dovecot, 1, 2)
    assert await imap.poll(channel_id, account) == 2
    before = await committed_db.scalar(select(ImapCursor.uidvalidity).where(ImapCursor.channel_id == channel_id))

    dovecot.reset_mailbox(SHOP_USER)
    # Dovecot takes a new mailbox's UIDVALIDITY from the clock in seconds: let it move on.
    await asyncio.sleep(1.1)
    # Renumbered: UID 1 is a new mail, 2 and 3 the two stored ones. A poller that ignored
    # UIDVALIDITY would fetch only UID 3 (a duplicate) and never see the new mail.
    await _append(dovecot, 5, 1, 2)

    assert await imap.poll(channel_id, account) == 1
    assert await _stored(committed_db, channel_id) == [f"q{n}@customer.example" for n in (1, 2, 5)]
    committed_db.expire_all()
    cursor = await committed_db.scalar(select(ImapCursor).where(ImapCursor.channel_id == channel_id))
    assert cursor.uidvalidity != before and cursor.last_uid == 3
