"""IMAP polling without duplicates or gaps (shared/PROTOCOLS.md "Inbound email").

The cursor is (channel, mailbox, UIDVALIDITY, last UID stored). Each poll reads UIDVALIDITY and
UIDNEXT; with the same UIDVALIDITY and nothing past the cursor it stops there; otherwise it fetches
`UID last+1:*` and drops UIDs not above the cursor (`n:*` always returns the highest message).
A first connect, or a changed UIDVALIDITY (the server renumbered the mailbox), searches the
backfill window instead (`settings.imap.backfill_days`, by the server's arrival date) and relies on
the events' unique (channel, Message-ID or content hash) key to drop what was stored before.

Each batch of fetched mails becomes InboundEvents (provider "imap", body = the raw RFC 822 bytes)
with their `channel.ingest_event` jobs AND the advanced cursor in ONE transaction: a poll killed
at any point leaves the cursor at the last stored mail, so the next poll neither misses nor repeats.
Mail is fetched with BODY.PEEK[]: polling never marks the shop's mail as read.
"""

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

import aioimaplib

from mancrel.channel.accept import dedupe_key
from mancrel.channel.mime import message_id_of
from mancrel.channel.models import InboundEvent
from mancrel.channel.repository import CursorRepository, InboundEventRepository
from mancrel.core.db import unit_of_work, utcnow
from mancrel.worker.errors import PermanentError, TransientError
from mancrel.worker.outbox import enqueue

logger = logging.getLogger("mancrel.channel.imap")

FETCH_BATCH = 25        # mails per UID FETCH and per transaction
TIMEOUT_SECONDS = 30.0  # per IMAP command
_FETCH_LINE = re.compile(rb"^\d+ FETCH \(")
_UID = re.compile(rb"UID (\d+)")
_STATUS = {name: re.compile(rb"\[" + name.encode() + rb" (\d+)\]") for name in ("UIDVALIDITY", "UIDNEXT")}


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    tls: bool
    username: str
    password: str
    folder: str
    backfill_days: int

    @classmethod
    def of(cls, settings: dict, secrets: dict) -> "ImapAccount":
        imap = settings.get("imap") or {}
        return cls(host=imap["host"], port=int(imap["port"]), tls=bool(imap.get("tls", True)),
                   username=imap["username"], password=secrets.get("imap_password") or "",
                   folder=imap.get("folder") or "INBOX", backfill_days=int(imap.get("backfill_days", 7)))


class ImapRefused(PermanentError):
    """The server refused the login or the folder: retrying now cannot help (the next beat will)."""


def _check(response: aioimaplib.Response, what: str) -> aioimaplib.Response:
    if response.result != "OK":
        detail = b" ".join(line for line in response.lines if isinstance(line, bytes)).decode("utf-8", "replace")
        raise ImapRefused(f"IMAP {what} refused: {detail[:300]}")
    return response


async def _connect(account: ImapAccount) -> aioimaplib.IMAP4:
    cls = aioimaplib.IMAP4_SSL if account.tls else aioimaplib.IMAP4
    client = cls(host=account.host, port=account.port, timeout=TIMEOUT_SECONDS)
    try:
        await client.wait_hello_from_server()
        _check(await client.login(account.username, account.password), "login")
    except (aioimaplib.CommandTimeout, aioimaplib.Abort, TimeoutError) as exc:
        raise TransientError(f"IMAP server {account.host}:{account.port} did not answer: {exc!r}") from exc
    return client


def _status_number(response: aioimaplib.Response, name: str) -> int:
    for line in response.lines:
        if isinstance(line, bytes) and (match := _STATUS[name].search(line)):
            return int(match.group(1))
    raise TransientError(f"the IMAP server's SELECT answer had no {name}")


def _uids(response: aioimaplib.Response) -> list[int]:
    _check(response, "search")
    numbers = response.lines[0].split() if response.lines and isinstance(response.lines[0], bytes) else []
    return sorted(int(n) for n in numbers if n.isdigit())


def _fetched(response: aioimaplib.Response) -> dict[int, bytes]:
    """UID -> raw message, from the answer lines: `n FETCH (UID u BODY[] {size}`, the literal, `)`."""
    _check(response, "fetch")
    mails: dict[int, bytes] = {}
    uid: int | None = None
    literal: bytes | None = None
    for line in response.lines:
        if isinstance(line, bytearray):
            literal = bytes(line)
        elif _FETCH_LINE.match(line):
            if uid is not None and literal is not None:
                mails[uid] = literal
            match = _UID.search(line)
            uid, literal = (int(match.group(1)) if match else None), None
        elif uid is None and (match := _UID.search(line)):  # some servers send UID after the literal
            uid = int(match.group(1))
    if uid is not None and literal is not None:
        mails[uid] = literal
    return mails


async def _store_batch(channel_id: uuid.UUID, mailbox: str, uidvalidity: int,
                       mails: list[tuple[int, bytes]], last_uid: int) -> int:
    """The batch's events, their jobs and the cursor, in one transaction. How many were new."""
    new = 0
    async with unit_of_work() as session:
        events = InboundEventRepository(session)
        for _, raw in mails:
            event = InboundEvent(id=uuid.uuid4(), channel_id=channel_id, provider="imap", content_type="message/rfc822",
                                 dedupe_key=dedupe_key(message_id_of(raw), raw), body=raw)
            if await events.add_one(event):
                enqueue(session, "channel.ingest_event", event_id=event.id)
                new += 1
        await CursorRepository(session).save(channel_id, mailbox, uidvalidity=uidvalidity, last_uid=last_uid)
    return new


async def _uids_to_fetch(client: aioimaplib.IMAP4, account: ImapAccount, cursor, uidvalidity: int,
                         uidnext: int) -> tuple[list[int], int]:
    """(UIDs to fetch, the cursor's last UID to start from)."""
    if cursor is not None and cursor.uidvalidity == uidvalidity:
        if uidnext - 1 <= cursor.last_uid:
            return [], cursor.last_uid  # nothing new: no FETCH at all
        uids = _uids(await client.uid_search(f"UID {cursor.last_uid + 1}:*", charset=None))
        return [uid for uid in uids if uid > cursor.last_uid], cursor.last_uid
    if cursor is not None:
        logger.warning("UIDVALIDITY changed: resyncing the backfill window", extra={
            "mailbox": account.folder, "old": cursor.uidvalidity, "new": uidvalidity})
    if account.backfill_days <= 0:
        return [], uidnext - 1
    since = (utcnow() - timedelta(days=account.backfill_days)).strftime("%d-%b-%Y")
    return _uids(await client.uid_search(f"SINCE {since}", charset=None)), 0


async def poll(channel_id: uuid.UUID, account: ImapAccount) -> int:
    """Fetch and store what arrived since the cursor; the number of new mails stored."""
    client = await _connect(account)
    try:
        try:
            selected = _check(await client.select(account.folder), f"select {account.folder!r}")
            uidvalidity, uidnext = _status_number(selected, "UIDVALIDITY"), _status_number(selected, "UIDNEXT")
            async with unit_of_work() as session:
                cursor = await CursorRepository(session).get(channel_id, account.folder)
            uids, last_uid = await _uids_to_fetch(client, account, cursor, uidvalidity, uidnext)
            stored = 0
            if not uids and (cursor is None or cursor.uidvalidity != uidvalidity):
                await _store_batch(channel_id, account.folder, uidvalidity, [], max(last_uid, 0))
            for start in range(0, len(uids), FETCH_BATCH):
                chunk = uids[start:start + FETCH_BATCH]
                mails = _fetched(await client.uid("fetch", f"{chunk[0]}:{chunk[-1]}", "(UID BODY.PEEK[])"))
                ordered = sorted((uid, raw) for uid, raw in mails.items() if uid in set(chunk))
                last_uid = max(last_uid, chunk[-1])
                stored += await _store_batch(channel_id, account.folder, uidvalidity, ordered, last_uid)
            return stored
        except (aioimaplib.CommandTimeout, aioimaplib.Abort, TimeoutError) as exc:
            raise TransientError(f"IMAP poll interrupted: {exc!r}") from exc
    finally:
        try:
            await client.logout()
        except Exception:  # the connection is gone already; nothing left to close politely
            logger.debug("IMAP logout failed", exc_info=True)
