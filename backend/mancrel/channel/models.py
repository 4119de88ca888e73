"""Channel tables: the accounts messages arrive through, their raw inbound deliveries, IMAP cursors."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey, utcnow

# How a send job's errors begin on `Channel.last_error`: only a send that works clears them (a poll or
# mail coming in says nothing about the way out), and while one is there the channel is failing.
SEND_ERROR_PREFIX = "sending "
# How a reply's failure_reason begins while its send job waits to try again (health counts them).
RETRY_REASON = "will retry"


class ChannelKind(StrEnum):
    email = "email"
    whatsapp = "whatsapp"
    messenger = "messenger"
    lead_ads = "lead_ads"


class InboundStatus(StrEnum):
    pending = "pending"      # stored and acknowledged; the ingest job has not run yet
    processed = "processed"  # turned into a message (or found to be a duplicate of one)
    failed = "failed"        # could not be read; `error` says why, replayable from the dead letters


class Channel(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "channels"
    __table_args__ = (CheckConstraint("kind IN ('email', 'whatsapp', 'messenger', 'lead_ads')", name="kind"),)
    # Never copied into audit snapshots (audit/service.py).
    SECRET_FIELDS = ("secrets_encrypted",)

    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    # Provider settings (addresses, hosts, ports, ids); never secret.
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))
    # A Fernet ciphertext (core.security) of a JSON object of the channel's secrets; write-only in the API.
    secrets_encrypted: Mapped[str | None] = mapped_column(Text)
    # New contacts met on this channel get this owner (None: unassigned).
    default_owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Health, shown at GET /channels/{id}/health.
    last_received_at: Mapped[datetime | None]
    last_polled_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    # Meta channels: the Graph API refused the access token (401 / code 190); cleared by a send that works.
    token_error: Mapped[str | None] = mapped_column(Text)
    token_error_at: Mapped[datetime | None]


class InboundEvent(UUIDPrimaryKey, Base):
    """A delivery as the provider sent it (webhook body or fetched mail), stored before the 2xx.

    `dedupe_key` is the provider's message id (RFC Message-ID, wamid, mid) or a content hash, so a
    provider's retry or a re-polled message never becomes a second row. `replay_token` holds a
    signature's one-time token (Mailgun) so a captured signature cannot carry another body.
    """

    __tablename__ = "inbound_events"
    __table_args__ = (
        Index("uq_inbound_events_channel_key", "channel_id", "dedupe_key", unique=True),
        Index("uq_inbound_events_replay_token", "channel_id", "replay_token", unique=True,
              postgresql_where=text("replay_token IS NOT NULL")),
        Index("ix_inbound_events_pending", "received_at", postgresql_where=text("status = 'pending'")),
    )

    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    dedupe_key: Mapped[str] = mapped_column(String(998))
    replay_token: Mapped[str | None] = mapped_column(String(200))
    # What the adapter needs to read `body` again: the provider ("mailgun", "imap", ...) and content type.
    provider: Mapped[str] = mapped_column(String(20))
    content_type: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(12), default=InboundStatus.pending,
                                        server_default=InboundStatus.pending.value)
    error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]


class ImapCursor(Base):
    """Where a mailbox's poll stopped: (channel, mailbox, UIDVALIDITY, last UID stored).
    UIDs are unsigned 32-bit numbers, hence BigInteger."""

    __tablename__ = "imap_cursors"

    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(200), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
