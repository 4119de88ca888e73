"""Every query of the ai domain."""

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import ColumnElement, and_, delete, func, literal, or_, select, text, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai.models import Classification, Embedding, ModelVersion, SearchDocument, TrainingExample
from mancrel.core.db import utcnow
from mancrel.core.pagination import after as after_clause
from mancrel.core.permissions import SEES_EVERYTHING, Actor, visible_filter
from mancrel.inbox.models import Conversation

if TYPE_CHECKING:
    from mancrel.ai.vectorstore import VectorItem

KEYWORD_CANDIDATES = 50
TRIGRAM_MIN = 0.3


def _owner_clause(model, owner_ids: Sequence[uuid.UUID] | None):
    if owner_ids is None:
        return literal(True)
    return or_(model.owner_id.is_(None), model.owner_id.in_(list(owner_ids)))


# --- search documents and embeddings -------------------------------------------------------
async def upsert_document(session: AsyncSession, *, entity_type: str, entity_id: uuid.UUID,
                          owner_id: uuid.UUID | None, title: str, snippet: str, body: str,
                          parent_id: uuid.UUID | None = None) -> None:
    await upsert_documents(session, [dict(entity_type=entity_type, entity_id=entity_id, owner_id=owner_id,
                                          parent_id=parent_id, title=title, snippet=snippet, body=body)])


async def upsert_documents(session: AsyncSession, rows: list[dict]) -> None:
    """Insert or overwrite many documents in one statement (a batch of classified messages)."""
    if not rows:
        return
    now = utcnow()
    stmt = insert(SearchDocument).values([{"parent_id": None, **row, "updated_at": now} for row in rows])
    await session.execute(stmt.on_conflict_do_update(
        index_elements=[SearchDocument.entity_type, SearchDocument.entity_id],
        set_={k: stmt.excluded[k] for k in ("owner_id", "parent_id", "title", "snippet", "body", "updated_at")}))


async def delete_document(session: AsyncSession, entity_type: str, entity_id: uuid.UUID) -> None:
    await session.execute(delete(SearchDocument).where(
        SearchDocument.entity_type == entity_type, SearchDocument.entity_id == entity_id))


async def upsert_embeddings(session: AsyncSession, items: "list[VectorItem]") -> None:
    if not items:
        return
    rows = [dict(entity_type=i.entity_type, entity_id=i.entity_id, owner_id=i.owner_id, model_id=i.model_id,
                 model_version=i.model_version, embedding=i.vector, updated_at=utcnow()) for i in items]
    stmt = insert(Embedding).values(rows)
    await session.execute(stmt.on_conflict_do_update(
        index_elements=[Embedding.entity_type, Embedding.entity_id],
        set_={k: stmt.excluded[k] for k in ("owner_id", "model_id", "model_version", "embedding", "updated_at")}))


async def delete_embeddings(session: AsyncSession, entity_type: str, entity_ids: list[uuid.UUID]) -> None:
    await session.execute(delete(Embedding).where(
        Embedding.entity_type == entity_type, Embedding.entity_id.in_(entity_ids)))


async def get_embedding(session: AsyncSession, entity_type: str, entity_id: uuid.UUID) -> Embedding | None:
    return await session.get(Embedding, (entity_type, entity_id))


async def get_document(session: AsyncSession, entity_type: str, entity_id: uuid.UUID) -> SearchDocument | None:
    return await session.get(SearchDocument, (entity_type, entity_id))


async def nearest_embeddings(session: AsyncSession, vector: np.ndarray, *, entity_types: list[str],
                             actor: Actor, limit: int) -> list[tuple[str, uuid.UUID, float]]:
    # A larger candidate list for the HNSW scan, so the visibility filter still leaves `limit` rows.
    await session.execute(text("SET LOCAL hnsw.ef_search = 200"))
    distance = Embedding.embedding.cosine_distance(vector)
    rows = await session.execute(
        select(Embedding.entity_type, Embedding.entity_id, 1 - distance)
        .where(Embedding.entity_type.in_(entity_types), visible_filter(Embedding, actor))
        .order_by(distance).limit(limit))
    return [tuple(r) for r in rows.all()]


async def keyword_matches(session: AsyncSession, query: str, *, entity_types: list[str], actor: Actor,
                          limit: int = KEYWORD_CANDIDATES) -> list[tuple[str, uuid.UUID]]:
    """Full-text matches ranked by ts_rank, then title trigram matches (typos, SKUs, names)."""
    tsquery = func.websearch_to_tsquery("english", query)
    rank = func.ts_rank_cd(SearchDocument.tsv, tsquery)
    similarity = func.word_similarity(func.lower(query), func.lower(SearchDocument.title))
    base = [SearchDocument.entity_type.in_(entity_types), document_visible(actor)]
    fulltext = await session.execute(
        select(SearchDocument.entity_type, SearchDocument.entity_id)
        .where(SearchDocument.tsv.op("@@")(tsquery), *base).order_by(rank.desc()).limit(limit))
    found = [tuple(r) for r in fulltext.all()]
    trigram = await session.execute(
        select(SearchDocument.entity_type, SearchDocument.entity_id)
        .where(similarity >= TRIGRAM_MIN, *base).order_by(similarity.desc()).limit(limit))
    seen = set(found)
    return found + [tuple(r) for r in trigram.all() if tuple(r) not in seen]


async def documents(session: AsyncSession, keys: list[tuple[str, uuid.UUID]], *,
                    actor: Actor) -> dict[tuple[str, uuid.UUID], SearchDocument]:
    """The documents of `keys` still visible (a vector store's copy of the owner may lag)."""
    if not keys:
        return {}
    ids = [k[1] for k in keys]
    rows = await session.scalars(select(SearchDocument).where(
        SearchDocument.entity_id.in_(ids), document_visible(actor)))
    return {(d.entity_type, d.entity_id): d for d in rows}


def document_visible(actor: Actor) -> ColumnElement[bool]:
    """Records follow the owner rule on the owner copied into their document. A message follows
    its conversation's own rule (its contact's owner or its assignee), read now, so a contact
    handed to another rep takes its messages' hits along at once."""
    if actor.role in SEES_EVERYTHING:
        return true()
    conversations = select(Conversation.id).where(visible_filter(Conversation, actor))
    return or_(and_(SearchDocument.entity_type != "message", visible_filter(SearchDocument, actor)),
               and_(SearchDocument.entity_type == "message", SearchDocument.parent_id.in_(conversations)))


# --- model versions ------------------------------------------------------------------------
async def active_model_ref(session: AsyncSession, kind: str = "intent") -> tuple[uuid.UUID, int] | None:
    """Id and version of the serving model, without its (large) artifact."""
    row = (await session.execute(select(ModelVersion.id, ModelVersion.version)
                                 .where(ModelVersion.kind == kind, ModelVersion.is_active))).first()
    return (row[0], row[1]) if row else None


async def model_artifact(session: AsyncSession, model_id: uuid.UUID) -> bytes | None:
    return await session.scalar(select(ModelVersion.artifact).where(ModelVersion.id == model_id))


async def get_model(session: AsyncSession, model_id: uuid.UUID) -> ModelVersion | None:
    return await session.get(ModelVersion, model_id)


async def next_model_version(session: AsyncSession, kind: str = "intent") -> int:
    latest = await session.scalar(select(func.max(ModelVersion.version)).where(ModelVersion.kind == kind))
    return (latest or 0) + 1


async def deactivate_models(session: AsyncSession, kind: str = "intent") -> None:
    await session.execute(update(ModelVersion).where(ModelVersion.kind == kind, ModelVersion.is_active)
                          .values(is_active=False))


async def list_models(session: AsyncSession, *, kind: str = "intent", limit: int,
                      before_version: int | None) -> list[ModelVersion]:
    stmt = select(ModelVersion).where(ModelVersion.kind == kind)
    if before_version is not None:
        stmt = stmt.where(ModelVersion.version < before_version)
    return list(await session.scalars(stmt.order_by(ModelVersion.version.desc()).limit(limit)))


async def lock_training(session: AsyncSession) -> None:
    """One training at a time, so two retrains never claim the same version number."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('mancrel.ai.train'))"))


# --- examples and classifications ----------------------------------------------------------
async def all_examples(session: AsyncSession) -> list[TrainingExample]:
    return list(await session.scalars(select(TrainingExample).order_by(TrainingExample.created_at)))


async def list_examples(session: AsyncSession, *, limit: int, after: tuple | None) -> list[TrainingExample]:
    stmt = select(TrainingExample)
    if after is not None:
        stmt = stmt.where(after_clause([TrainingExample.created_at, TrainingExample.id], after, descending=True))
    stmt = stmt.order_by(TrainingExample.created_at.desc(), TrainingExample.id.desc()).limit(limit + 1)
    return list(await session.scalars(stmt))


async def get_example(session: AsyncSession, example_id: uuid.UUID) -> TrainingExample | None:
    return await session.get(TrainingExample, example_id)


async def get_classification(session: AsyncSession, classification_id: uuid.UUID) -> Classification | None:
    return await session.get(Classification, classification_id)


async def list_classifications(session: AsyncSession, *, owner_ids: Sequence[uuid.UUID] | None, limit: int,
                               after: tuple | None) -> list[Classification]:
    stmt = select(Classification).where(_owner_clause(Classification, owner_ids))
    if after is not None:
        stmt = stmt.where(after_clause([Classification.created_at, Classification.id], after, descending=True))
    stmt = stmt.order_by(Classification.created_at.desc(), Classification.id.desc()).limit(limit + 1)
    return list(await session.scalars(stmt))


# --- reindex -------------------------------------------------------------------------------
async def record_ids(session: AsyncSession, entity_type: str) -> list[uuid.UUID]:
    """Every id of a record type, for `mancrel ai reindex`. Ids only: each record is then read
    through its own domain's service, which decides what is live."""
    from mancrel.catalog.models import Product
    from mancrel.company.models import Company
    from mancrel.contact.models import Contact
    from mancrel.deal.models import Deal

    model = {"product": Product, "contact": Contact, "company": Company, "deal": Deal}[entity_type]
    return list(await session.scalars(select(model.id).order_by(model.id)))


async def indexed_ids(session: AsyncSession, entity_type: str) -> list[uuid.UUID]:
    return list(await session.scalars(select(SearchDocument.entity_id)
                                      .where(SearchDocument.entity_type == entity_type)))
