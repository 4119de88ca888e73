"""Reply tables: the seller's knowledge entries (versioned), suggestions, and their append-only audit."""

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey, utcnow
from mancrel.team import models as team_models  # noqa: F401  (escalations name a team; registers its tables)


class Decision(StrEnum):
    auto_send = "auto_send"
    approval = "approval"
    escalate = "escalate"
    ignore = "ignore"  # never answered (spam, automated or our own mail): nobody needs to act


class SuggestionStatus(StrEnum):
    sent = "sent"            # sent automatically
    pending = "pending"      # waiting for a human's approval
    approved = "approved"    # sent as drafted by a human's approval
    edited = "edited"        # sent after a human edited it
    rejected = "rejected"
    escalated = "escalated"  # no draft sent; the conversation is a human's
    shadow = "shadow"        # shadow mode: decided and recorded, never sent
    ignored = "ignored"
    send_failed = "send_failed"  # sent (automatically or approved), then refused or bounced: a person's now
    superseded = "superseded"    # never sent: the conversation was answered after its message (superseding.py)


class KnowledgeEntry(UUIDPrimaryKey, Timestamps, Base):
    """A short policy text replies may quote (shipping, returns, opening hours, payment, warranty).
    Each change bumps `version` and keeps the previous text in knowledge_entry_versions."""

    __tablename__ = "knowledge_entries"
    __table_args__ = (Index("uq_knowledge_entries_topic_live", "topic", unique=True,
                            postgresql_where=text("deleted_at IS NULL")),)

    topic: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # The intents whose replies may quote it (e.g. shipping -> ["shipping", "purchase_intent"]).
    intents: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list, server_default="{}")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime | None]  # kept: a suggestion's audit names the version it quoted


class KnowledgeVersion(UUIDPrimaryKey, Base):
    __tablename__ = "knowledge_entry_versions"
    __table_args__ = (UniqueConstraint("entry_id", "version", name="uq_knowledge_entry_versions_entry_version"),)

    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("knowledge_entries.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    intents: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Suggestion(UUIDPrimaryKey, Timestamps, Base):
    """What the reply step decided for one inbound message. One per message (the unique key is
    the "never twice to the same inbound message" rule, held by the database)."""

    __tablename__ = "reply_suggestions"
    __table_args__ = (
        Index("ix_reply_suggestions_list", "created_at", "id"),
        Index("ix_reply_suggestions_status", "status", "created_at"),
        Index("ix_reply_suggestions_updated_at", "updated_at"),  # the rollups' "changed lately" scan
        # The per-contact daily cap counts automatic sends.
        Index("ix_reply_suggestions_contact_sent", "contact_id", "created_at",
              postgresql_where=text("decision = 'auto_send' AND status = 'sent'")),
    )

    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"),
                                                       index=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    intent: Mapped[str] = mapped_column(String(64), index=True)
    confidence: Mapped[Decimal] = mapped_column(Numeric(6, 4))
    confidence_parts: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    classifier_version: Mapped[int | None] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[str]] = mapped_column(JSONB, default=list)
    status: Mapped[str] = mapped_column(String(16))
    draft_text: Mapped[str | None] = mapped_column(Text)
    sent_text: Mapped[str | None] = mapped_column(Text)
    facts: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    grounding: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    provider: Mapped[str | None] = mapped_column(String(40))
    model_version: Mapped[str | None] = mapped_column(String(200))
    prompt_version: Mapped[str | None] = mapped_column(String(40))
    usage: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # tokens and time per provider call
    sent_message_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(Text)
    # The intent a reviewer confirmed or corrected (training signal; reply/training.py).
    confirmed_intent: Mapped[str | None] = mapped_column(String(64))


class SuggestionAudit(UUIDPrimaryKey, Base):
    """One step in a suggestion's life, append-only: a trigger refuses UPDATE and DELETE.
    No foreign keys on purpose: a key's ON DELETE would be an update or delete the trigger
    refuses, and the record must outlive the message, the suggestion and the user it names."""

    __tablename__ = "reply_suggestion_audit"
    __table_args__ = (Index("ix_reply_suggestion_audit_suggestion", "suggestion_id", "occurred_at"),)

    suggestion_id: Mapped[uuid.UUID] = mapped_column()
    action: Mapped[str] = mapped_column(String(40))  # decided, sent, approved, edited, rejected
    actor_id: Mapped[uuid.UUID | None] = mapped_column()
    actor_email: Mapped[str | None] = mapped_column(String(320))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactReplyPreference(Base):
    """Per-contact reply settings: a contact marked `never_auto_reply` is always answered by a person
    (drafts still wait for approval). Kept here, not on contacts: it is the reply step's rule."""

    __tablename__ = "reply_contact_preferences"

    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    never_auto_reply: Mapped[bool] = mapped_column(default=False)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Escalation(UUIDPrimaryKey, Timestamps, Base):
    """An escalated message's task and who holds it now. The beat job re-routes one whose task is
    past due and not done to the next available member, and counts it (`reroutes`)."""

    __tablename__ = "reply_escalations"
    __table_args__ = (Index("ix_reply_escalations_open_due", "due_at", postgresql_where=text("resolved_at IS NULL")),)

    suggestion_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reply_suggestions.id", ondelete="CASCADE"),
                                                     unique=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    priority: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]
    reroutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    resolved_at: Mapped[datetime | None]  # the task was done or deleted: nothing left to chase
