import uuid
from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mancrel.ai.schemas import NEAR_LIMIT_DESCRIPTION
from mancrel.channel.schemas import TemplateReply, TemplateSent
from mancrel.inbox.models import ConversationStatus


class ContactSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    first_name: str
    last_name: str
    emails: list[str]
    phones: list[str] = Field(default_factory=list, description="E.164 numbers (WhatsApp ids count as phones).")
    owner_id: uuid.UUID | None


class ReplyOptions(BaseModel):
    """Which replies a person may send now (the composer's states); read at the moment of the request."""

    free_text: bool = Field(description="A typed reply is accepted now (always on email; on WhatsApp and Messenger "
                                        "within 24 hours of the customer's last message, Messenger up to 7 days).")
    template_required: bool = Field(description="WhatsApp after the 24-hour window: only an approved template "
                                                "(GET /channels/{id}/templates) may be sent.")
    human_agent_tag_until: datetime | None = Field(
        description="Messenger between 24 hours and 7 days after the customer's last message: a person's reply goes "
                    "out tagged HUMAN_AGENT until this instant. Null otherwise.")


class ConversationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    channel_id: uuid.UUID
    contact_id: uuid.UUID | None
    contact: ContactSummary | None = None
    counterpart: str
    status: ConversationStatus
    assignee_id: uuid.UUID | None
    subject: str
    is_junk: bool
    last_message_at: datetime
    last_inbound_at: datetime | None
    unread_count: int
    snoozed_until: datetime | None
    intent: str | None
    priority: str | None
    created_at: datetime
    # The channel's kind (email, whatsapp, messenger...): reps may not read channels, yet the app draws
    # chat threads as bubbles and must know when a reply is refused.
    channel_kind: str | None = None
    # Chat channels only (null on email): free-form replies are refused from this instant on, 24 hours
    # after the customer's last message (already past when the window is closed).
    reply_window_closes_at: datetime | None = None
    reply_options: ReplyOptions | None = None


class ConversationPage(BaseModel):
    items: list[ConversationRead]
    next_cursor: str | None


class ConversationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: ConversationStatus | None = None
    assignee_id: uuid.UUID | None = Field(default=None, description="null unassigns.")
    snoozed_until: datetime | None = None
    read: bool | None = Field(default=None, description="true marks every message read.")
    junk: Literal[False] | None = Field(default=None, description=(
        "false: Not junk. Moves a conversation the junk gate set aside into the inbox as a customer's "
        "(contact found or made, newest message classified); audited as conversation.not_junk."))


class ClassificationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    # What a person corrects through PATCH /api/v1/ai/classifications/{id} ("Wrong intent?" in the inbox).
    id: uuid.UUID | None = None
    intent: str
    corrected_intent: str | None = Field(default=None, description="The intent a person set, when the AI's was wrong.")
    confidence: float
    priority: str
    sentiment: str | None
    language: str
    near_limit: bool | None = Field(description=NEAR_LIMIT_DESCRIPTION)
    model_version: int


class AttachmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    stored: bool = Field(description="False when the file was over the size cap: only its metadata was kept.")


class MessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    conversation_id: uuid.UUID
    direction: str
    sender: str
    sender_name: str
    recipients: dict[str, list[str]]
    subject: str
    text: str
    html: str | None
    own_words: str
    provider_message_id: str
    in_reply_to: str | None
    references: list[str]
    is_junk: bool
    junk_reason: str | None
    status: str
    failure_reason: str | None
    # Failed replies only (else null): whether the attempt may have reached the customer, so that
    # "Send again" asks the person to confirm.
    delivery_uncertain: bool | None = None
    send_attempts: int | None = None  # our replies only: attempts handed to the provider so far
    # The latest time a failed reply was sent again, and by whom (null with a time: a dead-letter replay).
    resent_at: datetime | None = None
    resent_by_id: uuid.UUID | None = None
    # The task its failure opened (closed once it reaches the customer after all).
    follow_up_task_id: uuid.UUID | None = None
    author_id: uuid.UUID | None
    occurred_at: datetime
    sent_at: datetime | None
    # WhatsApp / Messenger replies: when the customer's phone had it, and when they opened it.
    delivered_at: datetime | None = None
    read_at: datetime | None = None
    attachments: list[AttachmentRead] = []
    classification: ClassificationSummary | None = None
    template: TemplateSent | None = None


class MessageResend(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirm_uncertain: bool = Field(default=False, description=(
        "Required (true) when the failed attempt may have reached the customer (`delivery_uncertain`)."))


class MessagePage(BaseModel):
    items: list[MessageRead]
    next_cursor: str | None


class ReplyCreate(BaseModel):
    """A typed reply (`text`) or, on WhatsApp, an approved template (`template`): exactly one."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, min_length=1, max_length=100_000)
    template: TemplateReply | None = None

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not value.strip():
            raise ValueError("a reply needs some text")
        if "\x00" in value:
            raise ValueError("text must not contain NUL characters")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> "ReplyCreate":
        if (self.text is None) == (self.template is None):
            raise ValueError("send either text or template")
        return self


class ConversationSort(StrEnum):
    activity = "activity"  # newest activity first
    priority = "priority"  # urgent first, then newest activity
