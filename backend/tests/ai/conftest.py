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
def shipped_training(shipped_model, monkeypatch):
    """Training on exactly the shipped rows gives the session's shipped model instead of a second
    half-minute fit of the same data (training is deterministic); any other rows train for real."""
    model, report, rows = shipped_model
    train_rows = ai_service.train_rows

    def train_or_reuse(given: list[training_data.Row], progress=None):
        return (model, report) if given == rows else train_rows(given, progress)

    monkeypatch.setattr(ai_service, "train_rows", train_or_reuse)


@pytest.fixture(scope="session")
def half_shipped_model(shipped_model):
    """(model, held-out report, rows) trained on every other shipped row, once: a test of what a
    retrain does with examples, refusals and versions needs a real fit, not the whole data set's."""
    rows = shipped_model[2][::2]
    model, report = ai_service.train_rows(rows)
    return model, report, rows


@pytest.fixture
def fewer_shipped_rows(half_shipped_model, monkeypatch):
    """Retrain on every other shipped row (half the rows, half the time)."""
    monkeypatch.setattr(training_data, "shipped_rows", lambda: list(half_shipped_model[2]))


async def _serving(db: AsyncSession, trained) -> ModelVersion:
    model, report, rows = trained
    version = ModelVersion(kind="intent", version=1, is_active=True, artifact=model.to_bytes(), metrics=report,
                           training_rows=len(rows), embedding_model="test")
    db.add(version)
    await db.flush()
    ai_service._loaded[version.id] = model
    return version


@pytest.fixture
async def active_model(db: AsyncSession, shipped_model) -> ModelVersion:
    """The shipped model stored as the serving version 1 (rolled back with the test)."""
    return await _serving(db, shipped_model)


@pytest.fixture
async def active_half_model(db: AsyncSession, half_shipped_model) -> ModelVersion:
    """The model of `fewer_shipped_rows` serving as version 1: a retrain on those rows is judged
    against a model of the same data (against the whole data set's it is rightly refused)."""
    return await _serving(db, half_shipped_model)
