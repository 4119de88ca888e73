"""Inbox tables: conversations, their messages and the messages' attachments."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey, utcnow


class ConversationStatus(StrEnum):
    open = "open"
    pending = "pending"
    closed = "closed"


class Direction(StrEnum):
    inbound = "inbound"
    outbound = "outbound"


class DeliveryStatus(StrEnum):
    received = "received"  # inbound
    queued = "queued"      # outbound, waiting for the email job
    sending = "sending"    # handed to the SMTP server / Graph API; its answer not yet recorded
    sent = "sent"
    delivered = "delivered"  # WhatsApp / Messenger: on the customer's phone
    read = "read"            # WhatsApp / Messenger: the customer opened it
    failed = "failed"


class Conversation(UUIDPrimaryKey, Timestamps, Base):
    """One contact on one channel. Visibility follows the contact (its owner), plus the assignee."""

    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_activity", "last_message_at", "id"),
        Index("ix_conversations_counterpart", "channel_id", "counterpart", "last_message_at"),
        Index("ix_conversations_search_trgm", "subject", postgresql_using="gin",
              postgresql_ops={"subject": "gin_trgm_ops"}),
    )

    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    # None only for junk: automated mail never becomes a contact.
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    # The customer's address on the channel (lower-cased email, wa_id, PSID): threads by subject match it.
    counterpart: Mapped[str] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(10), default=ConversationStatus.open,
                                        server_default=ConversationStatus.open.value)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str] = mapped_column(String(998), default="", server_default="")
    # The subject without Re:/Fwd: prefixes, lower-cased: what a subject-only reply is matched on.
    subject_key: Mapped[str] = mapped_column(String(998), default="", server_default="")
    is_junk: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_inbound_at: Mapped[datetime | None]
    unread_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    snoozed_until: Mapped[datetime | None]
    # The latest classified inbound message's intent and priority (0 urgent ... 3 low, for sorting).
    intent: Mapped[str | None] = mapped_column(String(64), index=True)
    priority: Mapped[str | None] = mapped_column(String(16))
    priority_rank: Mapped[int | None] = mapped_column(Integer)


class Message(UUIDPrimaryKey, Base):
    __tablename__ = "messages"
    __table_args__ = (
        Index("uq_messages_channel_provider_id", "channel_id", "provider_message_id", unique=True),
        Index("ix_messages_conversation", "conversation_id", "occurred_at", "id"),
        Index("ix_messages_occurred_at", "occurred_at"),  # the analytics rollups read a day of messages
        # The drain of `ai.process_message`: inbound customer messages not yet classified.
        Index("ix_messages_unclassified", "created_at",
              postgresql_where=sql("processed_at IS NULL AND direction = 'inbound' AND NOT is_junk")),
        Index("ix_messages_outbound_pending", "created_at",
              postgresql_where=sql("status IN ('queued', 'sending')")),
        Index("ix_messages_follow_up_task", "follow_up_task_id",
              postgresql_where=sql("follow_up_task_id IS NOT NULL")),
    )

    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    channel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(8))
    sender: Mapped[str] = mapped_column(String(320))
    sender_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # {"to": [...], "cc": [...]} addresses.
    recipients: Mapped[dict[str, list[str]]] = mapped_column(JSONB, default=dict, server_default=sql("'{}'::jsonb"))
    subject: Mapped[str] = mapped_column(String(998), default="", server_default="")
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    html: Mapped[str | None] = mapped_column(Text)  # the original, when the mail had an HTML part
    own_words: Mapped[str] = mapped_column(Text, default="", server_default="")
    # RFC 5322 Message-ID (without <>) or, when the mail had none, "sha256:<content hash>".
    provider_message_id: Mapped[str] = mapped_column(String(998))
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default=sql("'{}'"))
    # The headers the junk gate and threading read, kept for "why was this junk".
    headers: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default=sql("'{}'::jsonb"))
    is_junk: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    junk_reason: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    send_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The task this reply's failure opened (a person's follow-up task, or the reply step's escalation
    # task): closed when the reply reaches the customer after all (reply/send_recovery.py).
    follow_up_task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    # When a failed reply last went back to its send job, and who asked (None: a dead-letter replay).
    resent_at: Mapped[datetime | None]
    resent_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    classification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ai_classifications.id", ondelete="SET NULL"))
    processed_at: Mapped[datetime | None]  # classified (or found to need no classification)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)  # the mail's Date, else when received
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]  # from WhatsApp's status updates
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(UUIDPrimaryKey, Base):
    """An attachment's metadata and, up to a size cap, its bytes: never inside the message row."""

    __tablename__ = "message_attachments"

    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="", server_default="")
    content_type: Mapped[str] = mapped_column(String(200), default="application/octet-stream")
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # None when over the cap
