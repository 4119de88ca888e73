"""Every query of the channel tables."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, case, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel.models import SEND_ERROR_PREFIX, Channel, ImapCursor, InboundEvent, InboundStatus
from mancrel.core.db import utcnow
from mancrel.core.pagination import after, decode_cursor

# Deliveries travel as one array per column, so a batch of any size is one small prepared
# statement. The join drops a delivery whose channel was deleted meanwhile instead of failing
# the batch. No conflict target: a delivery is not new when its (channel, dedupe key) OR its
# (channel, replay token) is already stored; the caller tells the two apart.
_INSERT_EVENTS = text("""
INSERT INTO inbound_events (id, channel_id, dedupe_key, replay_token, provider, content_type, body,
                            status, received_at)
SELECT d.id, d.channel_id, d.dedupe_key, d.replay_token, d.provider, d.content_type, d.body,
       'pending', d.received_at
FROM unnest(CAST(:ids AS uuid[]), CAST(:channel_ids AS uuid[]), CAST(:keys AS text[]),
            CAST(:tokens AS text[]), CAST(:providers AS text[]), CAST(:content_types AS text[]),
            CAST(:bodies AS bytea[]), CAST(:received AS timestamptz[]))
     AS d(id, channel_id, dedupe_key, replay_token, provider, content_type, body, received_at)
JOIN channels c ON c.id = d.channel_id
ON CONFLICT DO NOTHING
RETURNING id
""")

_MARK_PROCESSED = text("""
UPDATE inbound_events e SET status = 'processed', error = NULL, processed_at = :now, message_id = d.message_id
FROM unnest(CAST(:ids AS uuid[]), CAST(:messages AS uuid[])) AS d(id, message_id)
WHERE e.id = d.id
""")
_MARK_FAILED = text("""
UPDATE inbound_events e SET status = 'failed', error = d.error
FROM unnest(CAST(:ids AS uuid[]), CAST(:errors AS text[])) AS d(id, error)
WHERE e.id = d.id
""")


class ChannelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, channel_id: uuid.UUID) -> Channel | None:
        return await self.session.get(Channel, channel_id)

    async def get_by_name(self, name: str) -> Channel | None:
        return await self.session.scalar(select(Channel).where(Channel.name == name))

    async def list_page(self, *, limit: int, cursor: str | None) -> list[Channel]:
        stmt = select(Channel).order_by(Channel.name, Channel.id).limit(limit + 1)
        if cursor:
            values = decode_cursor(cursor, (str, uuid.UUID))
            stmt = stmt.where(after((Channel.name, Channel.id), values))
        return list(await self.session.scalars(stmt))

    async def get_many(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Channel]:
        return {c.id: c for c in await self.session.scalars(select(Channel).where(Channel.id.in_(list(ids))))}

    async def existing_ids(self, ids: set[uuid.UUID]) -> set[uuid.UUID]:
        return set(await self.session.scalars(select(Channel.id).where(Channel.id.in_(ids))))

    async def imap_channels(self) -> list[Channel]:
        """Enabled email channels fed by IMAP (few: one per shop mailbox)."""
        return list(await self.session.scalars(select(Channel).where(
            Channel.enabled.is_(True), Channel.kind == "email", Channel.settings["inbound"].astext == "imap")))

    async def record_health(self, channel_id: uuid.UUID, *, received: bool = False, polled: bool = False,
                            error: str | None = None, clear_error: bool = False, clear_send_error: bool = False,
                            token_error: str | None = None, token_ok: bool = False) -> None:
        """One UPDATE, no row read: health is written by jobs that may run side by side. `clear_error`
        (a poll that worked) leaves a send error standing; `clear_send_error` (a send that worked)
        clears only that."""
        now = utcnow()
        values: dict = {}
        if received:
            values["last_received_at"] = now
        if polled:
            values["last_polled_at"] = now
        if error is not None:
            values.update(last_error=error[:2000], last_error_at=now)
        elif clear_error or clear_send_error:
            a_send_error = Channel.last_error.startswith(SEND_ERROR_PREFIX, autoescape=True)
            values["last_error"] = (case((a_send_error, Channel.last_error), else_=None) if not clear_send_error
                                    else case((a_send_error, None), else_=Channel.last_error))
        if token_error is not None:  # the Graph API refused the access token (Meta channels)
            values.update(token_error=token_error[:2000], token_error_at=now)
        elif token_ok:
            values["token_error"] = None
        if values:
            await self.session.execute(update(Channel).where(Channel.id == channel_id).values(**values))


class InboundEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_batch(self, deliveries: list) -> set[uuid.UUID]:
        """Store deliveries (intake.Delivery) unless already stored; the ids of those that were new."""
        result = await self.session.execute(_INSERT_EVENTS, {
            "ids": [d.id for d in deliveries], "channel_ids": [d.channel_id for d in deliveries],
            "keys": [d.dedupe_key for d in deliveries], "tokens": [d.replay_token for d in deliveries],
            "providers": [d.provider for d in deliveries], "content_types": [d.content_type for d in deliveries],
            "bodies": [d.body for d in deliveries], "received": [d.received_at for d in deliveries]})
        return set(result.scalars())

    async def stored_keys(self, pairs: set[tuple[uuid.UUID, str]]) -> set[tuple[uuid.UUID, str]]:
        """Which (channel, dedupe key) pairs are stored."""
        if not pairs:
            return set()
        rows = await self.session.execute(select(InboundEvent.channel_id, InboundEvent.dedupe_key).where(
            text("(channel_id, dedupe_key) IN (SELECT * FROM unnest(CAST(:c AS uuid[]), CAST(:k AS text[])))")
            .bindparams(c=[c for c, _ in pairs], k=[k for _, k in pairs])))
        return {(c, k) for c, k in rows.all()}

    async def add_one(self, event: InboundEvent) -> bool:
        """Insert one event (IMAP) unless its (channel, dedupe key) is stored; True when new."""
        inserted = await self.session.scalar(
            insert(InboundEvent).values(
                id=event.id, channel_id=event.channel_id, dedupe_key=event.dedupe_key, provider=event.provider,
                content_type=event.content_type, body=event.body, status="pending", received_at=utcnow())
            .on_conflict_do_nothing().returning(InboundEvent.id))
        return inserted is not None

    async def get_for_update(self, event_id: uuid.UUID) -> InboundEvent | None:
        return await self.session.scalar(select(InboundEvent).where(InboundEvent.id == event_id)
                                         .with_for_update().execution_options(populate_existing=True))

    async def get(self, event_id: uuid.UUID) -> InboundEvent | None:
        """The event as committed now, unlocked."""
        return await self.session.scalar(select(InboundEvent).where(InboundEvent.id == event_id)
                                         .execution_options(populate_existing=True))

    async def loaded(self, event_id: uuid.UUID) -> InboundEvent | None:
        """The event as this transaction last read it (`get`), read now if it has not yet."""
        return await self.session.get(InboundEvent, event_id)

    async def claim(self, event_id: uuid.UUID) -> InboundEvent | None:
        """The event, locked for this transaction; None when it is gone or another one holds it."""
        return await self.session.scalar(select(InboundEvent).where(InboundEvent.id == event_id)
                                         .with_for_update(skip_locked=True)
                                         .execution_options(populate_existing=True))

    async def claim_pending(self, *, providers: Sequence[str], exclude: uuid.UUID,
                            limit: int) -> list[InboundEvent]:
        """Up to `limit` pending events read by these providers' adapters, oldest first, locked for
        this transaction; rows another transaction holds are skipped (ix_inbound_events_pending)."""
        if limit <= 0:
            return []
        return list(await self.session.scalars(
            select(InboundEvent)
            .where(InboundEvent.status == InboundStatus.pending, InboundEvent.id != exclude,
                   InboundEvent.provider.in_(list(providers)))
            .order_by(InboundEvent.received_at).limit(limit)
            .with_for_update(skip_locked=True).execution_options(populate_existing=True)))

    async def mark_processed(self, done: Sequence[tuple[uuid.UUID, uuid.UUID | None]]) -> None:
        """Events processed, with the message each became (or None), in one statement."""
        if done:
            await self.session.execute(_MARK_PROCESSED, {
                "ids": [event_id for event_id, _ in done], "messages": [message for _, message in done],
                "now": utcnow()})

    async def mark_failed(self, failed: Sequence[tuple[uuid.UUID, str]]) -> None:
        """Events that failed, each with its reason, in one statement."""
        if failed:
            await self.session.execute(_MARK_FAILED, {
                "ids": [event_id for event_id, _ in failed], "errors": [reason[:2000] for _, reason in failed]})

    async def count_failed_since(self, channel_id: uuid.UUID, since: datetime) -> int:
        return await self.session.scalar(select(func.count()).select_from(InboundEvent).where(
            InboundEvent.channel_id == channel_id, InboundEvent.status == "failed",
            InboundEvent.received_at >= since)) or 0


class CursorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, channel_id: uuid.UUID, mailbox: str) -> ImapCursor | None:
        return await self.session.scalar(select(ImapCursor).where(and_(
            ImapCursor.channel_id == channel_id, ImapCursor.mailbox == mailbox)))

    async def save(self, channel_id: uuid.UUID, mailbox: str, *, uidvalidity: int, last_uid: int) -> None:
        stmt = insert(ImapCursor).values(channel_id=channel_id, mailbox=mailbox, uidvalidity=uidvalidity,
                                         last_uid=last_uid, updated_at=utcnow())
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=[ImapCursor.channel_id, ImapCursor.mailbox],
            set_={"uidvalidity": uidvalidity, "last_uid": last_uid, "updated_at": utcnow()}))
