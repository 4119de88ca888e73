"""AI tables: search documents and their vectors, intent model versions, examples, classifications."""

import uuid
from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import Boolean, Computed, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.ai.embeddings import DIMENSIONS
from mancrel.core.db import Base, UUIDPrimaryKey, utcnow


class SearchDocument(Base):
    """The searchable text of a record (product, contact, company, deal, customer message), kept
    by the ai tasks. `owner_id` mirrors the record's owner so search can apply visibility without
    a join into another domain's tables; `parent_id` is the record a hit opens in (a message's
    conversation), whose own visibility search checks as well."""

    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
        Index("ix_search_documents_title_trgm", "title", postgresql_using="gin",
              postgresql_ops={"title": "gin_trgm_ops"}),
    )

    entity_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    parent_id: Mapped[uuid.UUID | None]
    title: Mapped[str] = mapped_column(Text, default="")
    snippet: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    tsv: Mapped[Any] = mapped_column(TSVECTOR, Computed(
        "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(body, '')), 'B')", persisted=True))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Embedding(Base):
    """The pgvector store: one vector per record, with the model that made it."""

    __tablename__ = "embeddings"
    __table_args__ = (
        Index("ix_embeddings_hnsw", "embedding", postgresql_using="hnsw",
              postgresql_with={"m": 16, "ef_construction": 64},
              postgresql_ops={"embedding": "vector_cosine_ops"}),
    )

    entity_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    model_id: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(100))
    embedding: Mapped[Any] = mapped_column(Vector(DIMENSIONS))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ModelVersion(UUIDPrimaryKey, Base):
    """A trained intent model: its weights, its held-out evaluation, and whether it serves."""

    __tablename__ = "ai_model_versions"
    __table_args__ = (
        Index("uq_ai_model_versions_active", "kind", unique=True, postgresql_where=text("is_active")),
        Index("uq_ai_model_versions_kind_version", "kind", "version", unique=True),
    )

    kind: Mapped[str] = mapped_column(String(32), default="intent")
    version: Mapped[int] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=False)
    artifact: Mapped[bytes] = mapped_column(LargeBinary)
    embedding_model: Mapped[str] = mapped_column(String(200))
    metrics: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    training_rows: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TrainingExample(UUIDPrimaryKey, Base):
    """A labelled message added by an admin or manager, or made by relabelling a classification.
    Added to the shipped training data on the next retrain."""

    __tablename__ = "ai_training_examples"

    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str] = mapped_column(String(64), index=True)
    sentiment: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16), default="example")  # example | correction
    classification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ai_classifications.id", ondelete="SET NULL"))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Classification(UUIDPrimaryKey, Base):
    """One classification, with the model version that made it and any human correction."""

    __tablename__ = "ai_classifications"

    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    out_of_scope: Mapped[bool] = mapped_column(Boolean, default=False)
    alternatives: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    priority: Mapped[str] = mapped_column(String(16))
    sentiment: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")  # ISO 639-1
    # The parts behind `confidence` (null for rows classified before they were kept).
    head_probability: Mapped[float | None] = mapped_column(Float)
    margin: Mapped[float | None] = mapped_column(Float)
    oos_score: Mapped[float | None] = mapped_column(Float)
    # Near the out-of-scope limit, so held to a stricter anchor (null: classified before it was kept).
    near_limit: Mapped[bool | None] = mapped_column(Boolean)
    model_version: Mapped[int] = mapped_column(Integer)
    model_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ai_model_versions.id", ondelete="SET NULL"))
    corrected_intent: Mapped[str | None] = mapped_column(String(64))
    corrected_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime | None]
    # Whose message this was classified for (the requester now; the conversation owner later).
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
