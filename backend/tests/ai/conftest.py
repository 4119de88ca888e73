"""AI test fixtures: one model trained on the shipped data per session, installed per test."""

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.ai import service as ai_service
from mancrel.ai import training_data
from mancrel.ai.models import ModelVersion


@pytest.fixture(scope="session")
def shipped_model():
    """(model, held-out report, rows): trained once, as `mancrel` ships it."""
    rows = training_data.shipped_rows()
    model, report = ai_service.train_rows(rows)
    return model, report, rows


@pytest.fixture
async def active_model(db: AsyncSession, shipped_model) -> ModelVersion:
    """The shipped model stored as the serving version 1 (rolled back with the test)."""
    model, report, rows = shipped_model
    version = ModelVersion(kind="intent", version=1, is_active=True, artifact=model.to_bytes(), metrics=report,
                           training_rows=len(rows), embedding_model="test")
    db.add(version)
    await db.flush()
    ai_service._loaded[version.id] = model
    return version
