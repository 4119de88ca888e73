"""The intent classifier as shipped: taxonomy, held-out quality, calibration, the top end."""

import dataclasses
import io
import json

import numpy as np
import pytest

from mancrel.ai import classifier, service, taxonomy, top_end
from mancrel.ai.classifier import IntentClassifier
from mancrel.ai.embeddings import DIMENSIONS, get_embedder
from mancrel.ai.softmax import fit_softmax


def test_the_shipped_data_covers_every_intent_with_forty_examples(shipped_model):
    _, _, rows = shipped_model
    counts = {label: sum(r.label == label for r in rows) for label in {r.label for r in rows}}
    assert set(counts) == set(taxonomy.INTENTS) | {taxonomy.OUT_OF_SCOPE}
    assert min(counts.values()) >= 40
    assert len({r.text.casefold() for r in rows}) == len(rows)  # no duplicates to inflate held-out scores
    assert all(description for description in taxonomy.INTENTS.values())


def test_held_out_quality_of_the_shipped_model(shipped_model):
    _, report, _ = shipped_model
    # Out-of-fold over all ~4,200 rows, boundary cases included (complaint, returns and order
    # status overlap), with the calibration itself cross-validated: no fitting step saw the rows
    # these figures come from. The team's separate evaluation set is scored by bench/ai/seller.py.
    assert report["calibration_cross_validated"] is True
    assert report["rows"] >= 4000
    assert report["accuracy"] >= 0.88
    assert report["macro_f1"] >= 0.88
    assert report["oos_auto_rate"] < 0.01  # the goal: under 1% of out-of-scope messages acted on
    # Measured 0.979 at 66% coverage, ECE 0.019 (bench/README.md, issue #19): short of the 99% goal;
    # the goal is asserted, as a known miss, in test_calibration_goals_on_a_held_out_split.
    assert report["precision"] >= 0.96 and report["coverage"] >= 0.50


def test_clear_messages_get_their_intent(shipped_model):
    model, _, _ = shipped_model
    cases = {
        "Hi, is the down jacket available in size XL or is it sold out?": "availability",
        "Where's my package? I ordered ten days ago and the tracking hasn't moved": "order_status",
        "How much do the trail running shoes cost?": "pricing",
        "You've won an iPhone! Click this link to claim your prize": "spam",
        "I'd like to send back the boots and get a refund": "returns_refund",
        "Who won the basketball game yesterday?": taxonomy.OUT_OF_SCOPE,
    }
    results = service.predict(model, list(cases))
    assert [r["intent"] for r in results] == list(cases.values())
    assert results[-1]["out_of_scope"] is True
    for result in results:
        assert len(result["alternatives"]) == 3
        assert result["intent"] not in {a["intent"] for a in result["alternatives"]}


def test_priority_and_sentiment(shipped_model):
    model, _, _ = shipped_model
    angry, urgent, happy = service.predict(model, [
        "The zip broke after two days and nobody answers my emails, this is terrible",
        "URGENT: I was charged twice for order 4411, please fix this today",
        "Thank you so much, the socks are lovely!"])
    assert angry["sentiment"] == "negative" and angry["priority"] in ("high", "urgent")
    assert urgent["priority"] == "urgent"
    assert happy["sentiment"] == "positive" and happy["priority"] == "low"
    assert taxonomy.priority("spam", "negative", "URGENT act now") == "low"


@pytest.fixture(scope="module")
def held_out_split(shipped_model):
    """Train on 70% of the shipped data; predict the 30% no fitting step (heads, temperature,
    correctness model, top end) saw."""
    _, _, rows = shipped_model
    labels = np.array([r.label for r in rows])
    train_idx, test_idx = classifier.stratified_split(labels, 0.3, seed=11)
    texts, vectors = service.read([r.text for r in rows])
    model, _ = classifier.train(vectors[train_idx], list(labels[train_idx]), texts=[texts[i] for i in train_idx],
                                oos_label=taxonomy.OUT_OF_SCOPE)
    predictions = model.predict(vectors[test_idx], [texts[i] for i in test_idx])
    return predictions, classifier.evaluate(list(labels[test_idx]), predictions, oos_label=taxonomy.OUT_OF_SCOPE)


def test_calibration_on_a_held_out_split(held_out_split):
    """Reliability on ~1,260 rows the model never saw (measured: accuracy 0.91, ECE 0.034,
    precision at 0.90 0.98 at 57% coverage)."""
    predictions, report = held_out_split
    assert report["accuracy"] >= 0.88
    assert report["ece"] <= 0.05
    assert report["precision"] >= 0.96 and report["coverage"] >= 0.45
    # ~95 out-of-scope rows here, so one sent on is 1.05% (measured: one, a router question the data
    # calls out of scope); the 1% goal is asserted out of fold over all ~320 above and in the goals below.
    assert report["oos_auto_rate"] <= 0.02
    # Mean confidence tracks accuracy: neither far over- nor under-confident.
    assert abs(np.mean([p.confidence for p in predictions]) - report["accuracy"]) <= 0.08


@pytest.mark.xfail(strict=True, reason="issue #19 goals not met on the shipped examples' held-out split: "
                   "ECE 0.034, precision at 0.90 0.980 (the anchor placed at 99.2% on ~2,900 fitting rows "
                   "holds at 98% on rows it did not see); the lower-bound anchor that would make it cautious "
                   "was not chosen by the train-file CV (bench/README.md, AI section)")
def test_calibration_goals_on_a_held_out_split(held_out_split):
    _, report = held_out_split
    assert report["ece"] <= 0.02 and report["precision"] >= 0.99 and report["oos_auto_rate"] < 0.01


def test_the_top_end_is_never_inflated():
    scores = np.array([0.2, 0.7, 0.89, 0.93, 0.97, 0.99])
    for above in ("keep", "stretch"):
        top = classifier.TopEnd(precision=0.99, above=above, keep_below=0.88)
        assert np.allclose(classifier.top_end_map(scores, anchor=0.85, top=top), scores)
        mapped = classifier.top_end_map(scores, anchor=0.97, top=top)
        assert mapped[4] == 0.90 if above == "stretch" else mapped[4] == 0.97
        assert mapped[3] < 0.90 and mapped[2] < 0.90 and mapped[0] == 0.2
        assert mapped[1] == 0.7  # below the top end, scores keep their calibrated value
        assert np.all(np.diff(mapped) > 0)
        assert np.all(mapped <= scores)
    # "keep": what earned the top end is shown as calibrated, not pulled down towards 0.90.
    kept = classifier.top_end_map(scores, anchor=0.97, top=classifier.TopEnd(0.99, "keep", 0.88))
    assert kept[5] == 0.99
    # The anchor is where held-out precision reaches 99.5%: 40 right above, wrong ones below.
    held_scores = np.linspace(0.85, 1.0, 60)
    correct = np.r_[np.zeros(20), np.ones(40)]
    assert abs(top_end.find_anchor(held_scores, correct, 0.995) - held_scores[20]) < 1e-9


def test_a_small_calibration_set_does_not_earn_the_top_end_by_luck():
    """The anchor is judged by a lower confidence bound on the precision above it: 40 rows all
    right prove less than 99% (a seller's retrain on a few examples), 4,000 rows with 0.3% wrong
    prove it, and the bound then costs almost nothing against the point estimate."""
    few = np.linspace(0.90, 1.0, 40)
    assert top_end.find_anchor(few, np.ones(40), 0.99) < 1.0  # the point estimate: 100% of 40
    assert top_end.find_anchor(few, np.ones(40), 0.99, bound=1.645) == 1.0  # nothing shown as 0.90
    rng = np.random.default_rng(3)
    many = np.sort(rng.uniform(0.8, 1.0, 4000))
    right = (rng.uniform(size=4000) > 0.003).astype(float)
    right[:1000] = rng.uniform(size=1000) > 0.2  # the low scores are often wrong
    point, bounded = (top_end.find_anchor(many, right, 0.99, bound=z) for z in (0.0, 1.645))
    assert point <= bounded < 1.0
    assert (many >= bounded).mean() > (many >= point).mean() - 0.1
    # Out-of-scope rows weighted up count as fewer effective rows, not as more evidence.
    weights = np.ones(40)
    weights[:4] = 10.0
    scores = np.linspace(0.9, 1.0, 60)
    weighted = np.r_[np.ones(20), weights]
    assert top_end.wilson_lower(np.array([1.0]), np.array([40.0]), 1.645)[0] < 0.94
    assert top_end.find_anchor(scores, np.ones(60), 0.93, weighted, bound=1.645) >= top_end.find_anchor(
        scores, np.ones(60), 0.93, None, bound=1.645)


def test_answers_near_the_out_of_scope_limit_need_a_stricter_anchor(shipped_model):
    model, _, _ = shipped_model
    near = model.meta["near"]
    assert near is not None and near["anchor"] >= model.anchor  # the shipped model uses the rule
    assert model.meta["top_end"]["near"] > 0
    # Two answers with the same probabilities: one as similar to its intent's examples as most,
    # one just above the similarity floor (not out of scope, but near it).
    proba = np.full((2, len(model.labels)), 1e-4)
    proba[:, model.labels.index("pricing")] = 1.0
    proba /= proba.sum(axis=1, keepdims=True)
    sims = np.array([[0.9, 0.85], [max(model.sim_floor, near["similarity"] - 0.05) + 1e-3, 0.4]], dtype=np.float32)
    assert sims[1, 0] >= model.sim_floor and sims[1, 0] < near["similarity"]
    anchors = model.anchors(proba, sims)
    assert anchors[0] == model.anchor and anchors[1] == max(model.anchor, near["anchor"])
    # A model stored before the rule (no "near" in its meta) keeps one anchor for every answer, and
    # one stored before the bound keeps judging the point estimate.
    older = dataclasses.replace(model, meta={k: v for k, v in model.meta.items() if k != "near"})
    assert (older.anchors(proba, sims) == model.anchor).all()
    assert classifier.TopEnd.from_meta({"precision": 0.992, "above": "keep", "keep_below": 0.88}) == \
        classifier.TopEnd(0.992, "keep", 0.88, bound=0.0, near=0.0)


def test_a_stored_model_predicts_what_it_did_before_storing(shipped_model):
    model, _, _ = shipped_model
    texts = ["do you ship to Iceland?", "my order never came"]
    vectors = get_embedder().embed(texts, penultimate=True)
    restored = IntentClassifier.from_bytes(model.to_bytes())
    before, after = model.predict(vectors, texts), restored.predict(vectors, texts)
    assert [(p.label, p.confidence, p.sentiment) for p in before] == [(p.label, p.confidence, p.sentiment)
                                                                       for p in after]
    # The n-gram features travel with the model: without them its head could not even be applied.
    assert restored.lexical is not None and np.array_equal(restored.lexical.idf, model.lexical.idf)


def test_the_words_themselves_move_the_scores(shipped_model):
    """Same embedding, different words: the n-gram block pulls each text towards its intent."""
    model, _, _ = shipped_model
    texts = ["I want a refund for the boots", "Is there a discount code for the boots"]
    vectors = get_embedder().embed(texts, penultimate=True)
    shared = np.repeat(vectors[:1], 2, axis=0)  # give both texts the first one's embedding
    logits = model.head.logits(model.features(shared, texts))
    pricing, refund = model.labels.index("pricing"), model.labels.index("returns_refund")
    assert logits[1, pricing] - logits[1, refund] > logits[0, pricing] - logits[0, refund] + 1.0


def test_calibration_uses_every_row_out_of_fold(shipped_model):
    """Cross-fitting: each shipped row was predicted by a head that never saw it."""
    model, report, rows = shipped_model
    assert model.meta["folds"] == classifier.FOLDS
    assert report["rows"] == model.meta["held_out_rows"] == len(rows)
    folds = classifier.fold_assignment(np.array([r.label for r in rows]), classifier.FOLDS)
    assert (np.bincount(folds[folds >= 0]) >= len(rows) // classifier.FOLDS - len(taxonomy.INTENTS) - 1).all()
    pinned = np.zeros(len(rows), dtype=bool)
    pinned[:5] = True
    assert (classifier.fold_assignment(np.array([r.label for r in rows]), 5, pinned)[:5] == -1).all()


def test_the_shipped_model_reads_the_penultimate_layer_and_older_models_still_serve(shipped_model):
    model, _, rows = shipped_model
    assert model.embedding_columns == 2 * DIMENSIONS
    texts = ["do you ship to Iceland?", "my order never came"]
    with pytest.raises(ValueError, match="penultimate"):
        model.predict(get_embedder().embed(texts), texts)  # half its features missing: refused, not guessed
    # A model stored before the penultimate layer was added reads only the sentence vector.
    sample = rows[::3]
    sample_texts = [r.text for r in sample]
    older, _ = classifier.train(get_embedder().embed(sample_texts), [r.label for r in sample], texts=sample_texts,
                                oos_label=taxonomy.OUT_OF_SCOPE)
    blob = older.to_bytes()
    arrays = dict(np.load(io.BytesIO(blob)))
    meta = json.loads(arrays["meta"].tobytes())
    del meta["embedding_columns"]  # as stored then
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    restored = IntentClassifier.from_bytes(buffer.getvalue())
    served = restored.predict(get_embedder().embed(texts, penultimate=True), texts)
    assert [(p.label, p.confidence) for p in served] == [(p.label, p.confidence)
                                                         for p in older.predict(get_embedder().embed(texts), texts)]


def test_a_model_stored_with_the_older_sentiment_head_still_gives_sentiment(shipped_model):
    model, _, rows = shipped_model
    sample = rows[::4]
    names = model.sentiment_labels
    older_head = fit_softmax(get_embedder().embed([r.text for r in sample])[:, :DIMENSIONS],
                             np.array([names.index(r.sentiment) for r in sample]), len(names))
    # As stored before 2026-11-28: the sentiment head read the sentence vector alone.
    restored = IntentClassifier.from_bytes(dataclasses.replace(model, sentiment_head=older_head).to_bytes())
    texts = ["This is the worst service I have ever had, I am furious", "Thanks so much, the socks are lovely!"]
    vectors = get_embedder().embed(texts, penultimate=True)
    expected = [names[i] for i in older_head.proba(vectors[:, :DIMENSIONS]).argmax(axis=1)]
    assert [p.sentiment for p in restored.predict(vectors, texts)] == expected == ["negative", "positive"]
