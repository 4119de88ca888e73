"""The AI-reply policy: one document in `app_state`, read by every decision, changed by admins.

Stored whole (not a row per setting) because a decision must see one consistent policy: a
PATCH replaces it in one statement, and the next decision reads the new one.
"""

from datetime import datetime, time
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import taxonomy
from mancrel.audit import service as audit_service
from mancrel.core.errors import InvalidInput
from mancrel.core.state import get_state, set_state

STATE_KEY = "reply.policy"
INTENTS = (*taxonomy.INTENTS, taxonomy.OUT_OF_SCOPE)


class Mode(StrEnum):
    live = "live"      # decide and act
    shadow = "shadow"  # decide and record, never send or assign
    off = "off"        # no reply step at all


class Provider(StrEnum):
    local = "local"
    openai = "openai"


class IntentRule(StrEnum):
    auto = "auto"                    # may be sent automatically when the gate allows
    approval_only = "approval_only"  # drafted, never sent without a human
    never_reply = "never_reply"      # not answered at all


DEFAULT_RULES: dict[str, IntentRule] = {intent: IntentRule.auto for intent in INTENTS} | {
    "complaint": IntentRule.approval_only, "returns_refund": IntentRule.approval_only,
    "partnership": IntentRule.approval_only, taxonomy.OUT_OF_SCOPE: IntentRule.approval_only,
    "spam": IntentRule.never_reply,
}

Threshold = Annotated[float, Field(ge=0, le=1)]


def intent_words(intent: str, *, article: bool = True) -> str:
    """An intent key as reasons shown to reps read it: 'order_status' -> "an order status"."""
    words = intent.replace("_", " ")
    if not article:
        return words
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


class QuietHours(BaseModel):
    """A daily window (in the shop's time zone) in which nothing is sent automatically: replies
    wait for a person instead. `start` after `end` spans midnight (22:00 to 07:00)."""

    model_config = ConfigDict(extra="forbid")

    start: time
    end: time
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value

    def contains(self, at: datetime) -> bool:
        local = at.astimezone(ZoneInfo(self.timezone)).time().replace(tzinfo=None)
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Mode = Mode.live
    provider: Provider = Provider.local
    auto_send_threshold: Threshold = 0.90
    approval_threshold: Threshold = 0.60
    intent_rules: dict[str, IntentRule] = Field(default_factory=lambda: dict(DEFAULT_RULES))
    daily_auto_replies_per_contact: int = Field(default=3, ge=0, le=1000)
    # Catalogue data older than this (the source's sync lag) is not quoted in an automatic reply.
    max_catalog_lag_seconds: int = Field(default=900, ge=1, le=30 * 86400)
    signature: str = Field(default="The shop team", min_length=1, max_length=200)
    quiet_hours: QuietHours | None = None
    # Reviewed messages with a confirmed intent since the newest model that queue a retrain.
    retrain_after_reviews: int = Field(default=50, ge=1, le=100_000)

    @model_validator(mode="after")
    def _consistent(self) -> "Policy":
        if self.approval_threshold > self.auto_send_threshold:
            raise ValueError("approval_threshold must not be above auto_send_threshold")
        unknown = sorted(set(self.intent_rules) - set(INTENTS))
        if unknown:
            raise ValueError(f"unknown intents in intent_rules: {', '.join(unknown)}")
        self.intent_rules = dict(DEFAULT_RULES) | self.intent_rules  # every intent has a rule
        return self

    def rule(self, intent: str) -> IntentRule:
        return self.intent_rules.get(intent, IntentRule.approval_only)


class PolicyUpdate(BaseModel):
    """A partial change; `intent_rules` changes only the intents it names."""

    model_config = ConfigDict(extra="forbid")

    mode: Mode | None = None
    provider: Provider | None = None
    auto_send_threshold: Threshold | None = None
    approval_threshold: Threshold | None = None
    intent_rules: dict[str, IntentRule] | None = None
    daily_auto_replies_per_contact: int | None = Field(default=None, ge=0, le=1000)
    max_catalog_lag_seconds: int | None = Field(default=None, ge=1, le=30 * 86400)
    signature: str | None = Field(default=None, min_length=1, max_length=200)
    quiet_hours: QuietHours | None = Field(default=None, description="null turns quiet hours off.")
    retrain_after_reviews: int | None = Field(default=None, ge=1, le=100_000)


async def load(session: AsyncSession) -> Policy:
    stored = await get_state(session, STATE_KEY)
    return Policy.model_validate(stored) if stored else Policy()


async def update(session: AsyncSession, *, data: PolicyUpdate, actor: Any) -> Policy:
    """Merge `data` into the stored policy; a result that does not validate is a 422, nothing written."""
    before = await load(session)
    changes = data.model_dump(exclude_unset=True)  # an explicit null clears quiet_hours; elsewhere it is a 422
    if changes.get("intent_rules") is not None:  # null falls to the validation below: a 422
        changes["intent_rules"] = before.intent_rules | changes["intent_rules"]
    try:
        after = Policy.model_validate(before.model_dump() | changes)
    except ValidationError as exc:
        raise InvalidInput("The policy would not be consistent.", errors=[
            {"field": ".".join(str(p) for p in e["loc"]) or "policy", "in": "body", "message": e["msg"]}
            for e in exc.errors()]) from exc
    await set_state(session, STATE_KEY, after.model_dump(mode="json"))
    await audit_service.record(session, actor=actor, action="reply_policy.updated", entity_type="reply_policy",
                               entity_id=None, before=before.model_dump(mode="json"),
                               after=after.model_dump(mode="json"))
    return after
