import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mancrel.core.types import Text

Sentiment = Literal["negative", "neutral", "positive"]
Priority = Literal["urgent", "high", "normal", "low"]

# One wording wherever a classification's parts are returned (here, the inbox's messages, the
# reply suggestions), so a reviewer reads the same explanation in each.
NEAR_LIMIT_DESCRIPTION = (
    "True when the answer was close to the out-of-scope limit (its wording least like the intent's "
    "examples, or the model nearly judged it out of scope): such an answer must clear a stricter bar "
    "to reach 0.90, so its confidence is held lower and the message is more likely to wait for a "
    "person. Always false for an out-of-scope answer; null: classified before this was recorded.")


class SearchItem(BaseModel):
    type: str
    id: uuid.UUID
    title: str
    snippet: str
    score: float = Field(description="Reciprocal-rank fusion score of the keyword and vector rankings.")
    parent_id: uuid.UUID | None = Field(None, description="The record the hit opens in: a message's conversation.")


class SearchPage(BaseModel):
    items: list[SearchItem]
    next_cursor: str | None = None


class ClassifyRequest(BaseModel):
    # Room for a whole email thread: the quoted history is dropped before reading (own_words.py).
    text: Text = Field(min_length=1, max_length=100_000)


class Alternative(BaseModel):
    intent: str
    confidence: float


class ClassificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    text: str
    intent: str
    confidence: float = Field(description="Calibrated; at 0.90 or above held-out messages were right 99%+ of the time.")
    out_of_scope: bool
    alternatives: list[Alternative]
    priority: Priority
    sentiment: Sentiment | None
    language: str = Field(description="ISO 639-1 code of the message's language. The models read English: "
                          "a message in another language gets confidence 0.5 at most (a human's) and "
                          "never low priority.")
    head_probability: float | None = Field(
        description="The intent head's temperature-calibrated probability of `intent` (null: classified "
                    "before the parts were kept).")
    margin: float | None = Field(description="`head_probability` minus the runner-up intent's probability.")
    oos_score: float | None = Field(description="The head's probability that the message is out of scope.")
    near_limit: bool | None = Field(description=NEAR_LIMIT_DESCRIPTION)
    model_version: int
    corrected_intent: str | None
    corrected_at: datetime | None
    created_at: datetime


class ClassificationPage(BaseModel):
    items: list[ClassificationRead]
    next_cursor: str | None


class Relabel(BaseModel):
    intent: Text = Field(min_length=1, max_length=64)
    sentiment: Sentiment | None = None


class ExampleCreate(BaseModel):
    text: Text = Field(min_length=1, max_length=10_000)
    intent: Text = Field(min_length=1, max_length=64)
    sentiment: Sentiment | None = None


class ExampleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    text: str
    intent: str
    sentiment: str | None
    source: str
    classification_id: uuid.UUID | None
    created_by_id: uuid.UUID | None
    created_at: datetime


class ExamplePage(BaseModel):
    items: list[ExampleRead]
    next_cursor: str | None


class IntentRead(BaseModel):
    name: str
    description: str


class ModelVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    version: int
    is_active: bool
    embedding_model: str
    metrics: dict
    training_rows: int
    created_at: datetime


class ModelVersionPage(BaseModel):
    items: list[ModelVersionRead]
    next_cursor: str | None


class RetrainAccepted(BaseModel):
    status: Literal["queued"] = "queued"
