import numpy as np
import pytest

from mancrel.ai import embeddings
from mancrel.ai.embeddings import DIMENSIONS, ModelFileMismatch, get_embedder


def test_embeddings_are_deterministic_unit_vectors():
    texts = ["Merino hiking socks", "Where is my order?", "Do you ship to Norway?"]
    first, second = get_embedder().embed(texts), get_embedder().embed(texts)
    assert first.shape == (3, DIMENSIONS)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)


def test_batching_by_length_keeps_the_callers_order():
    texts = ["a very long sentence about waterproof jackets for hiking in the rain all day long",
             "socks", "a medium sentence about tents", "hi"]
    batched = get_embedder().embed(texts, batch_size=2)
    single = np.vstack([get_embedder().embed_one(t) for t in texts])
    np.testing.assert_allclose(batched, single, atol=1e-4)


def test_similar_texts_score_higher_than_unrelated_ones():
    anchor, paraphrase, unrelated = get_embedder().embed(
        ["merino wool hiking socks", "something warm for my feet when trekking", "invoice for the office printer"])
    assert anchor @ paraphrase > anchor @ unrelated + 0.2


def test_a_model_file_with_another_digest_is_refused(tmp_path):
    changed = tmp_path / "model.onnx"
    changed.write_bytes(b"not the pinned model")
    with pytest.raises(ModelFileMismatch):
        embeddings._read_checked(changed, embeddings.MODEL_SHA256)


def test_the_penultimate_layer_comes_beside_the_sentence_vector():
    texts = ["where is my parcel", "do you sell merino socks in size 44?"]
    both = get_embedder().embed(texts, penultimate=True)
    assert both.shape == (2, 2 * DIMENSIONS)
    np.testing.assert_allclose(both[:, :DIMENSIONS], get_embedder().embed(texts), atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(both[:, DIMENSIONS:], axis=1), 1.0, atol=1e-5)
    # Another layer, not a copy of the last one, and the same on every call.
    assert np.abs(both[:, DIMENSIONS:] - both[:, :DIMENSIONS]).max() > 0.1
    np.testing.assert_array_equal(both, get_embedder().embed(texts, penultimate=True))
