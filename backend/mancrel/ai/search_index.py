"""The search index itself: a record's text in `search_documents` and its vector in the store.

A floor below the domains: it knows no record type, so a domain's service can drop a record
from search in the transaction that deletes it (contact.service, contact.merge_service)
without importing the indexers of ai/indexing.py, which read those very services.
"""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import repository
from mancrel.ai.embeddings import get_embedder
from mancrel.ai.vectorstore import VectorItem, get_vector_store

SNIPPET_CHARS = 200
BODY_CHARS = 4000


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


async def index_record(session: AsyncSession, *, entity_type: str, entity_id: uuid.UUID,
                       owner_id: uuid.UUID | None, title: str, snippet: str, body: str) -> None:
    """Write the record's text and vector (idempotent: a second call overwrites the first)."""
    embedder = get_embedder()
    # The title leads the embedded text: it is what a paraphrase most often describes.
    vector = embedder.embed([clip(f"{title}. {body}", BODY_CHARS)])[0]
    await repository.upsert_document(session, entity_type=entity_type, entity_id=entity_id, owner_id=owner_id,
                                     title=title, snippet=clip(snippet, SNIPPET_CHARS), body=clip(body, BODY_CHARS))
    await get_vector_store().upsert(session, [VectorItem(entity_type, entity_id, owner_id, vector,
                                                         embedder.model_id, embedder.model_version)])


async def index_records(session: AsyncSession, records: list[dict]) -> None:
    """`index_record` for many records (dicts of its keyword arguments) with one pass of the embedder
    and one statement per table: a burst's new contacts are indexed together."""
    if not records:
        return
    embedder = get_embedder()
    vectors = embedder.embed([clip(f"{r['title']}. {r['body']}", BODY_CHARS) for r in records])
    await repository.upsert_documents(session, [
        dict(entity_type=r["entity_type"], entity_id=r["entity_id"], owner_id=r["owner_id"], title=r["title"],
             snippet=clip(r["snippet"], SNIPPET_CHARS), body=clip(r["body"], BODY_CHARS)) for r in records])
    await get_vector_store().upsert(session, [
        VectorItem(r["entity_type"], r["entity_id"], r["owner_id"], vector, embedder.model_id, embedder.model_version)
        for r, vector in zip(records, vectors, strict=True)])


async def remove_record(session: AsyncSession, *, entity_type: str, entity_id: uuid.UUID) -> None:
    """Drop the record from search. The document goes in the caller's transaction, and search
    shows no hit without its document, so a vector left in a non-transactional store (Qdrant)
    by a rollback never surfaces."""
    await repository.delete_document(session, entity_type, entity_id)
    await get_vector_store().delete(session, entity_type, [entity_id])
