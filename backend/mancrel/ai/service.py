"""Use cases of the intent classifier: classify, learn from examples and corrections, retrain."""

import asyncio
import uuid
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession
from threadpoolctl import ThreadpoolController

from mancrel.ai import acceptance, classifier, language, repository, taxonomy, training_data
from mancrel.ai.classifier import IntentClassifier
from mancrel.ai.embeddings import MODEL_ID, MODEL_VERSION, get_embedder
from mancrel.ai.exceptions import ClassificationNotFound, ExampleNotFound, UnknownIntent
from mancrel.ai.models import Classification, ModelVersion, TrainingExample
from mancrel.ai.own_words import own_words
from mancrel.audit import service as audit_service
from mancrel.core.db import utcnow
from mancrel.core.pagination import decode_cursor

KIND = "intent"
LABELS = (*taxonomy.INTENTS, taxonomy.OUT_OF_SCOPE)

_blas_threads = ThreadpoolController()

# Loaded models by version id: artifacts never change once stored, so this never goes stale.
_loaded: dict[uuid.UUID, IntentClassifier] = {}


def check_intent(intent: str) -> str:
    if intent not in LABELS:
        raise UnknownIntent(f"'{intent}' is not an intent.",
                            errors=[{"field": "intent", "message": f"one of: {', '.join(LABELS)}"}])
    return intent


def read(texts: list[str], progress=None, chunk: int = 2000) -> tuple[list[str], np.ndarray]:
    """What the classifier reads of each text, in training and prediction alike: the customer's own
    words (own_words.py) and their embedding with the penultimate layer. With `progress`, embedded
    in chunks and reported (a training file of thousands of rows)."""
    words = [own_words(t) for t in texts]
    embedder = get_embedder()
    if progress is None:
        return words, embedder.embed(words, penultimate=True)
    parts = []
    for start in range(0, len(words), chunk):
        parts.append(embedder.embed(words[start:start + chunk], penultimate=True))
        progress(f"embedded {min(start + chunk, len(words))}/{len(words)}")
    return words, (np.vstack(parts) if parts else embedder.embed([], penultimate=True))


def train_rows(rows: list[training_data.Row], progress=None) -> tuple[IntentClassifier, dict]:
    """Embed and train (CPU-bound: call it off the event loop)."""
    texts, vectors = read([r.text for r in rows])
    return classifier.train(
        vectors, [r.label for r in rows], texts=texts, oos_label=taxonomy.OUT_OF_SCOPE,
        sentiments=[r.sentiment for r in rows], weights=np.array([r.weight for r in rows]),
        pinned=np.array([r.pinned for r in rows]), progress=progress)


async def _rows_with_examples(session: AsyncSession) -> list[training_data.Row]:
    examples = await repository.all_examples(session)
    added = [training_data.Row(e.text, e.intent, e.sentiment, pinned=True,
                               weight=training_data.CORRECTION_WEIGHT if e.source == "correction" else 1.0)
             for e in examples]
    return training_data.merge(training_data.shipped_rows(), added)


async def retrain(session: AsyncSession, *, actor: Any | None = None) -> ModelVersion:
    """Train on the shipped data plus every example and store it as the next version. It serves
    unless its out-of-fold calibration is worse than the serving model's (acceptance.py): then
    it is kept inactive, with the reasons in its metrics and in the audit trail."""
    await repository.lock_training(session)
    rows = await _rows_with_examples(session)
    model, report = await asyncio.to_thread(train_rows, rows)
    ref = await repository.active_model_ref(session, KIND)
    serving = await repository.get_model(session, ref[0]) if ref else None
    refused = acceptance.refusal(report, serving.metrics) if serving else None
    version = ModelVersion(kind=KIND, version=await repository.next_model_version(session, KIND),
                           is_active=refused is None, artifact=model.to_bytes(),
                           metrics=report | ({"refused": refused} if refused else {}), training_rows=len(rows),
                           embedding_model=f"{MODEL_ID} ({MODEL_VERSION})", created_by_id=getattr(actor, "id", None))
    if refused is None:
        await repository.deactivate_models(session, KIND)
        await session.flush()
    session.add(version)
    await session.flush()
    after = {"version": version.version, "metrics": report, "training_rows": len(rows)}
    if refused is None:
        _loaded[version.id] = model
        await audit_service.record(session, actor=actor, action="ai_model.trained", entity_type="ai_model",
                                   entity_id=version.id, after=after)
    else:
        await audit_service.record(session, actor=actor, action="ai_model.refused", entity_type="ai_model",
                                   entity_id=version.id, after=after | {"refused": refused,
                                                                        "serving_version": serving.version})
    return version


async def active_classifier(session: AsyncSession) -> tuple[uuid.UUID, int, IntentClassifier]:
    """The serving model; the first call on a fresh installation trains version 1 from the
    shipped data (about 16 seconds here), so the product is usable without a training step. `mancrel run`
    makes that first call in the worker at start (the ai.prepare_classifier job)."""
    ref = await repository.active_model_ref(session, KIND)
    if ref is None:
        await repository.lock_training(session)
        ref = await repository.active_model_ref(session, KIND)  # another process may have won
        if ref is None:
            version = await retrain(session)
            ref = (version.id, version.version)
    model_id, number = ref
    if model_id not in _loaded:
        blob = await repository.model_artifact(session, model_id)
        _loaded[model_id] = IntentClassifier.from_bytes(blob)
    return model_id, number, _loaded[model_id]


# A message the encoder cannot read (not English; language.py) is a human's: its confidence stays
# under the gate's escalation line and it is never filed as low priority.
FOREIGN_CONFIDENCE_CAP = 0.5


def predict(model: IntentClassifier, texts: list[str]) -> list[dict[str, Any]]:
    """Intent, confidence, alternatives, sentiment, priority and language for each text (CPU-bound),
    judged on the customer's own words (no quoted history or signature)."""
    texts, vectors = read(texts)
    # The heads' small products run on one BLAS thread: OpenBLAS's own threads spin-wait after
    # each call and took the cores from the next batch's embedding (classify 390 msg/s against
    # embed 520; about equal with one BLAS thread, bench/README.md).
    with _blas_threads.limit(limits=1, user_api="blas"):
        predictions = model.predict(vectors, texts)
    vocabulary = get_embedder().words
    return [_result(p, text, language.detect(text, vocabulary))
            for text, p in zip(texts, predictions, strict=True)]


def _result(p: classifier.Prediction, text: str, lang: str) -> dict[str, Any]:
    confidence, priority = p.confidence, taxonomy.priority(p.label, p.sentiment, text)
    if lang != language.ENGLISH:
        confidence = min(confidence, FOREIGN_CONFIDENCE_CAP)
        priority = "normal" if priority == "low" else priority
    return {
        "intent": p.label, "confidence": round(confidence, 4), "out_of_scope": p.out_of_scope,
        "alternatives": [{"intent": label, "confidence": round(c, 4)} for label, c in p.alternatives],
        "sentiment": p.sentiment, "priority": priority, "language": lang,
        "head_probability": round(p.head_probability, 4), "margin": round(p.margin, 4),
        "oos_score": round(p.oos_score, 4), "near_limit": p.near_limit,
    }


async def classify_many(session: AsyncSession, *, texts: list[str],
                        owner_ids: list[uuid.UUID | None]) -> list[Classification]:
    """Classify many messages in one batched forward pass (the embedder runs them sorted by
    length, so short messages are not padded to the longest), store a Classification per text
    and return them in input order; `owner_ids[i]` is whose message `texts[i]` is."""
    if len(texts) != len(owner_ids):
        raise ValueError("texts and owner_ids must have the same length")
    if not texts:
        return []
    model_id, number, model = await active_classifier(session)
    results = await asyncio.to_thread(predict, model, texts)
    rows = [Classification(text=text, model_version=number, model_version_id=model_id, owner_id=owner_id, **result)
            for text, owner_id, result in zip(texts, owner_ids, results, strict=True)]
    session.add_all(rows)
    await session.flush()
    return rows


async def classify(session: AsyncSession, *, text: str, actor: Any) -> Classification:
    (row,) = await classify_many(session, texts=[text], owner_ids=[getattr(actor, "id", None)])
    return row


async def relabel(session: AsyncSession, *, classification_id: uuid.UUID, intent: str,
                  sentiment: str | None, actor: Any) -> Classification:
    """Record the right intent; the text becomes a training example for the next retrain."""
    check_intent(intent)
    row = await repository.get_classification(session, classification_id)
    if row is None:
        raise ClassificationNotFound(f"No classification with id {classification_id}.")
    before = audit_service.snapshot(row, ["intent", "corrected_intent"])
    row.corrected_intent, row.corrected_by_id, row.corrected_at = intent, actor.id, utcnow()
    session.add(TrainingExample(text=row.text, intent=intent, sentiment=sentiment or row.sentiment,
                                source="correction", classification_id=row.id, created_by_id=actor.id))
    await session.flush()
    await audit_service.record(session, actor=actor, action="ai_classification.relabelled",
                               entity_type="ai_classification", entity_id=row.id, before=before,
                               after=audit_service.snapshot(row, ["intent", "corrected_intent"]))
    return row


async def add_example(session: AsyncSession, *, text: str, intent: str, sentiment: str | None,
                      actor: Any) -> TrainingExample:
    example = TrainingExample(text=text, intent=check_intent(intent), sentiment=sentiment, source="example",
                              created_by_id=actor.id)
    session.add(example)
    await session.flush()
    await audit_service.record(session, actor=actor, action="ai_example.created", entity_type="ai_example",
                               entity_id=example.id, after=audit_service.snapshot(example))
    return example


async def delete_example(session: AsyncSession, *, example_id: uuid.UUID, actor: Any) -> None:
    example = await repository.get_example(session, example_id)
    if example is None:
        raise ExampleNotFound(f"No training example with id {example_id}.")
    before = audit_service.snapshot(example)
    await session.delete(example)
    await session.flush()
    await audit_service.record(session, actor=actor, action="ai_example.deleted", entity_type="ai_example",
                               entity_id=example_id, before=before)


# --- reads ---------------------------------------------------------------------------------
def _after(cursor: str | None) -> tuple | None:
    from datetime import datetime

    return tuple(decode_cursor(cursor, [datetime.fromisoformat, uuid.UUID])) if cursor else None


async def list_classifications(session: AsyncSession, *, actor: Any, limit: int,
                               cursor: str | None) -> list[Classification]:
    from mancrel.ai.search import visible_owner_ids

    return await repository.list_classifications(session, owner_ids=visible_owner_ids(actor), limit=limit,
                                                 after=_after(cursor))


async def list_examples(session: AsyncSession, *, limit: int, cursor: str | None) -> list[TrainingExample]:
    return await repository.list_examples(session, limit=limit, after=_after(cursor))


async def list_models(session: AsyncSession, *, limit: int, cursor: str | None) -> list[ModelVersion]:
    before = int(decode_cursor(cursor, [int])[0]) if cursor else None
    return await repository.list_models(session, kind=KIND, limit=limit + 1, before_version=before)
