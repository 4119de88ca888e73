import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mancrel.ai.schemas import NEAR_LIMIT_DESCRIPTION
from mancrel.reply.policy import INTENTS


class KnowledgeBase(BaseModel):
    topic: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$",
                       description="shipping, returns, opening_hours, payment, warranty, ...")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=4000)
    intents: list[str] = Field(default_factory=list, max_length=len(INTENTS),
                               description="The intents whose replies may quote this entry.")

    @field_validator("intents")
    @classmethod
    def _known(cls, value: list[str] | None) -> list[str] | None:
        if value is None:  # KnowledgeUpdate reuses this check; null there means "unchanged"
            return None
        unknown = [i for i in value if i not in INTENTS]
        if unknown:
            raise ValueError(f"unknown intents: {', '.join(unknown)}")
        return list(dict.fromkeys(value))


class KnowledgeCreate(KnowledgeBase):
    pass


class KnowledgeUpdate(BaseModel):
    topic: str | None = Field(default=None, min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, min_length=1, max_length=4000)
    intents: list[str] | None = None

    _known = field_validator("intents")(KnowledgeBase._known.__func__)


class KnowledgeRead(KnowledgeBase):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime


class KnowledgeVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    topic: str
    title: str
    body: str
    intents: list[str]
    created_by_id: uuid.UUID | None
    created_at: datetime


class GroundingRead(BaseModel):
    ok: bool | None = None
    failed_claims: list[dict[str, Any]] = []


class ConfidenceParts(BaseModel):
    """The classification's parts behind `confidence` as the reply step read them when it decided
    (each is described on the classification). Null: decided before that part was recorded."""

    head_probability: float | None = None
    margin: float | None = None
    oos_score: float | None = None
    out_of_scope: bool | None = None
    language: str | None = None
    near_limit: bool | None = Field(None, description=NEAR_LIMIT_DESCRIPTION)


class SuggestionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    message_id: uuid.UUID
    conversation_id: uuid.UUID
    intent: str
    confidence: float
    confidence_parts: ConfidenceParts
    decision: str
    reasons: list[str]
    status: str
    draft_text: str | None
    sent_text: str | None
    facts: list[dict[str, Any]]
    grounding: GroundingRead
    provider: str | None
    model_version: str | None
    prompt_version: str | None
    sent_message_id: uuid.UUID | None
    reviewed_by_id: uuid.UUID | None
    reviewed_at: datetime | None
    reject_reason: str | None
    confirmed_intent: str | None
    created_at: datetime
    customer: str | None = Field(default=None, description=(
        "Who wrote the message: the contact's name, else the conversation's address (in lists only)."))


class SuggestionPage(BaseModel):
    items: list[SuggestionRead]
    next_cursor: str | None


def _one_intent(value: str | None) -> str | None:
    if value is not None and value not in INTENTS:
        raise ValueError(f"unknown intent '{value}'")
    return value


class Approve(BaseModel):
    text: str | None = Field(default=None, min_length=1, max_length=20000,
                             description="The reply as edited; omitted, the draft is sent as it is.")
    intent: str | None = Field(default=None, max_length=64, description=(
        "The message's right intent when the classifier's was wrong; the message is learnt with it."))

    _intent = field_validator("intent")(_one_intent)


class Reject(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    intent: str | None = Field(default=None, max_length=64, description=(
        "The message's intent as the reviewer reads it; given, the message is learnt with it."))

    _intent = field_validator("intent")(_one_intent)


class Verdict(BaseModel):
    """A manager's verdict on a reply sent automatically; `intent` corrects the message's intent."""

    verdict: Literal["right", "wrong"]
    reason: str | None = Field(default=None, min_length=1, max_length=2000)
    intent: str | None = Field(default=None, max_length=64, description=(
        "The message's intent as the reviewer reads it; given, the message is learnt with it."))

    _intent = field_validator("intent")(_one_intent)


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    action: str
    actor_id: uuid.UUID | None
    actor_email: str | None
    data: dict[str, Any]
    occurred_at: datetime


class ReplyPreferences(BaseModel):
    never_auto_reply: bool


class EscalationQueueRow(BaseModel):
    """One conversation waiting for a person: its newest open escalation, and what the queue shows of it."""

    conversation_id: uuid.UUID
    subject: str
    customer: str  # the contact's name, else the channel address
    assignee_id: uuid.UUID | None
    escalation_id: uuid.UUID
    suggestion_id: uuid.UUID
    status: str  # the suggestion's: escalated, or send_failed (our reply never reached them)
    intent: str
    confidence: float
    near_limit: bool | None
    reasons: list[str]
    asked_at: datetime  # when the reply step handed it over
    priority: str
    due_at: datetime
    reroutes: int
    task_id: uuid.UUID | None
    task_version: int | None  # for If-Match when handing the task over
    open_escalations: int  # the conversation's open escalations (one per escalated message)


class EscalationQueue(BaseModel):
    items: list[EscalationQueueRow]
    truncated: bool  # more conversations wait than `limit`
