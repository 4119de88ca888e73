"""`VectorStore`: where record vectors live and how the nearest ones are found.

Two implementations behind one interface: pgvector (the default; the vectors sit in the
`embeddings` table, written in the same transaction as the change that caused them, and
searched through an HNSW cosine index) and Qdrant (when `QDRANT_URL` is set). Visibility
is applied inside the store, for the acting user, with the rule of core/permissions.py
(the owner rule: a rep's own records and unowned ones).
"""

import uuid
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import repository
from mancrel.ai.embeddings import DIMENSIONS
from mancrel.core.permissions import Actor, visible_owner_values


@dataclass(frozen=True)
class VectorItem:
    entity_type: str
    entity_id: uuid.UUID
    owner_id: uuid.UUID | None
    vector: np.ndarray
    model_id: str
    model_version: str


@dataclass(frozen=True)
class VectorHit:
    entity_type: str
    entity_id: uuid.UUID
    score: float  # cosine similarity, higher is closer


class VectorStore(Protocol):
    async def upsert(self, session: AsyncSession, items: list[VectorItem]) -> None: ...

    async def delete(self, session: AsyncSession, entity_type: str, entity_ids: list[uuid.UUID]) -> None: ...

    async def query(self, session: AsyncSession, vector: np.ndarray, *, entity_types: list[str],
                    actor: Actor, limit: int) -> list[VectorHit]: ...


class PgVectorStore:
    async def upsert(self, session: AsyncSession, items: list[VectorItem]) -> None:
        await repository.upsert_embeddings(session, items)

    async def delete(self, session: AsyncSession, entity_type: str, entity_ids: list[uuid.UUID]) -> None:
        await repository.delete_embeddings(session, entity_type, entity_ids)

    async def query(self, session: AsyncSession, vector: np.ndarray, *, entity_types: list[str],
                    actor: Actor, limit: int) -> list[VectorHit]:
        rows = await repository.nearest_embeddings(session, vector, entity_types=entity_types,
                                                   actor=actor, limit=limit)
        return [VectorHit(t, i, float(score)) for t, i, score in rows]


NO_OWNER = ""  # Qdrant matches values, not nulls: unowned points carry the empty string


def point_id(entity_type: str, entity_id: uuid.UUID) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"mancrel:{entity_type}:{entity_id}"))


class QdrantStore:
    """Qdrant through qdrant-client. Its writes are not part of the database transaction:
    they happen when called (in the embedding task, which is idempotent and retried), so a
    rolled-back task can leave a vector that the next run overwrites."""

    def __init__(self, client, collection: str = "mancrel_records") -> None:
        self.client = client
        self.collection = collection
        self._ready = False

    async def _ensure_collection(self) -> None:
        from qdrant_client import models

        if self._ready:
            return
        if not await self.client.collection_exists(self.collection):
            await self.client.create_collection(
                self.collection, vectors_config=models.VectorParams(size=DIMENSIONS, distance=models.Distance.COSINE))
            with warnings.catch_warnings():  # the in-process mode (tests) warns that it ignores them
                warnings.simplefilter("ignore", UserWarning)
                for key in ("entity_type", "owner_id"):
                    await self.client.create_payload_index(self.collection, key, models.PayloadSchemaType.KEYWORD)
        self._ready = True

    async def upsert(self, session: AsyncSession, items: list[VectorItem]) -> None:
        from qdrant_client import models

        if not items:
            return
        await self._ensure_collection()
        points = [models.PointStruct(
            id=point_id(item.entity_type, item.entity_id), vector=item.vector.astype(float).tolist(),
            payload={"entity_type": item.entity_type, "entity_id": str(item.entity_id),
                     "owner_id": str(item.owner_id) if item.owner_id else NO_OWNER,
                     "model_id": item.model_id, "model_version": item.model_version})
            for item in items]
        await self.client.upsert(self.collection, points=points, wait=True)

    async def delete(self, session: AsyncSession, entity_type: str, entity_ids: list[uuid.UUID]) -> None:
        if not entity_ids:
            return
        await self._ensure_collection()
        await self.client.delete(self.collection, points_selector=[point_id(entity_type, i) for i in entity_ids])

    async def query(self, session: AsyncSession, vector: np.ndarray, *, entity_types: list[str],
                    actor: Actor, limit: int) -> list[VectorHit]:
        from qdrant_client import models

        await self._ensure_collection()
        must = [models.FieldCondition(key="entity_type", match=models.MatchAny(any=entity_types))]
        owners = visible_owner_values(actor, nobody=NO_OWNER)  # the owner rule, as a payload filter
        if owners is not None:
            allowed = [str(o) for o in owners]
            must.append(models.FieldCondition(key="owner_id", match=models.MatchAny(any=allowed)))
        response = await self.client.query_points(self.collection, query=vector.astype(float).tolist(),
                                                  query_filter=models.Filter(must=must), limit=limit)
        return [VectorHit(p.payload["entity_type"], uuid.UUID(p.payload["entity_id"]), float(p.score))
                for p in response.points]


@lru_cache(maxsize=1)
def get_vector_store() -> VectorStore:
    """Qdrant when `QDRANT_URL` is set, else pgvector."""
    from mancrel.core.config import get_settings

    url = get_settings().qdrant_url
    if url:
        from qdrant_client import AsyncQdrantClient

        return QdrantStore(AsyncQdrantClient(url=url))
    return PgVectorStore()
