import uuid
from typing import Annotated

from fastapi import Depends

from mancrel.auth.dependencies import AdminUser
from mancrel.catalog import source_service
from mancrel.catalog.intake import WebhookIntake
from mancrel.catalog.models import CatalogSource
from mancrel.core.db import SessionDep, get_engine


async def existing_source(source_id: uuid.UUID, _: AdminUser, session: SessionDep) -> CatalogSource:
    """Sources are an admin's business: the role is checked before the lookup."""
    return await source_service.get_existing(session, source_id)


SourceDep = Annotated[CatalogSource, Depends(existing_source)]


_intake: WebhookIntake | None = None


async def webhook_intake() -> WebhookIntake:
    """The process's webhook intake (one source cache, one batcher), made on first use.
    Async on purpose: FastAPI runs a plain `def` dependency in a worker thread."""
    global _intake
    if _intake is None:
        _intake = WebhookIntake(lambda: get_engine().connect())
    return _intake


WebhookIntakeDep = Annotated[WebhookIntake, Depends(webhook_intake)]
