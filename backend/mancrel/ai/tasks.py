"""Jobs on the `ai` queue: keep search current, prepare and retrain the classifier."""

import uuid

from mancrel.ai import indexing
from mancrel.ai import service as ai_service
from mancrel.worker.task import AsyncSession, job


@job("ai.embed_product")
async def embed_product(session: AsyncSession, product_id: uuid.UUID) -> bool:
    return await indexing.index_product(session, product_id)


@job("ai.embed_contact")
async def embed_contact(session: AsyncSession, contact_id: uuid.UUID) -> bool:
    return await indexing.index_contact(session, contact_id)


@job("ai.embed_contacts")
async def embed_contacts(session: AsyncSession, contact_ids: list[str]) -> int:
    """The new contacts of one intake batch, embedded together (contact.service.embeddings_batched)."""
    return await indexing.index_contacts(session, [uuid.UUID(str(c)) for c in contact_ids])


@job("ai.embed_company")
async def embed_company(session: AsyncSession, company_id: uuid.UUID) -> bool:
    return await indexing.index_company(session, company_id)


@job("ai.embed_deal")
async def embed_deal(session: AsyncSession, deal_id: uuid.UUID) -> bool:
    return await indexing.index_deal(session, deal_id)


@job("ai.retrain")
async def retrain(session: AsyncSession, actor_id: uuid.UUID | None = None) -> int:
    from mancrel.user import service as user_service

    actor = await user_service.get(session, actor_id) if actor_id else None
    version = await ai_service.retrain(session, actor=actor)
    return version.version


@job("ai.prepare_classifier")
async def prepare_classifier(session: AsyncSession) -> int:
    """Run at every start: on a fresh installation this trains version 1 from the shipped data
    (about half a minute) before anyone asks, and it loads the embedder and the active model into
    the worker, so the first message waits for neither."""
    _, number, _ = await ai_service.active_classifier(session)
    return number
