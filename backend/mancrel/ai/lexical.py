"""Lexical features beside the sentence embedding: hashed word 1-2-grams and character 3-5-grams.

A sentence embedding blurs the exact words ("cancel my card" and "activate my card" sit close
together); n-grams keep them, and character n-grams tolerate typos and word forms. On CLINC150
adding them to the embedding in one softmax raised in-scope accuracy by about one point
(bench/README.md, AI section). Hashing (CRC-32, stable across processes, unlike `hash()`) needs no
stored vocabulary: a model persists only the inverse document frequencies.
"""

import itertools
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

DIMENSIONS = 4096
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def ngrams(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    grams = [f"w:{w}" for w in words] + [f"w:{a} {b}" for a, b in itertools.pairwise(words)]
    for word in words:
        padded = f"<{word}>"
        for n in (3, 4, 5):
            grams.extend(padded[i:i + n] for i in range(max(1, len(padded) - n + 1)))
    return grams


@lru_cache(maxsize=1 << 18)
def _bucket(gram: str, dimensions: int) -> int:
    # Most n-grams recur from message to message: a cache hit is cheaper than encode + CRC-32.
    return zlib.crc32(gram.encode()) % dimensions


def hashed_cells(texts: list[str], dimensions: int = DIMENSIONS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The non-zero cells of the (texts x buckets) count matrix: rows, buckets, counts. Sparse,
    because a message fills about 90 of the 4,096 buckets."""
    cells: list[int] = []
    for row, text in enumerate(texts):
        offset = row * dimensions
        cells.extend(offset + _bucket(g, dimensions) for g in ngrams(text))
    unique, counts = np.unique(np.array(cells, dtype=np.int64), return_counts=True)
    return unique // dimensions, unique % dimensions, counts.astype(np.float32)


@dataclass
class LexicalFeatures:
    idf: np.ndarray  # (dimensions,) inverse document frequency of each bucket in training
    weight: float = 1.0  # each row's norm: the block's say against the other features

    @classmethod
    def fit(cls, texts: list[str], *, weight: float = 1.0, dimensions: int = DIMENSIONS) -> "LexicalFeatures":
        _rows, buckets, _counts = hashed_cells(texts, dimensions)
        present = np.bincount(buckets, minlength=dimensions)
        return cls(idf=(np.log((1 + len(texts)) / (1 + present)) + 1).astype(np.float32), weight=weight)

    def transform(self, texts: list[str]) -> np.ndarray:
        """Log-count TF-IDF rows scaled to norm `weight` (float32)."""
        rows, buckets, counts = hashed_cells(texts, len(self.idf))
        values = np.log1p(counts) * self.idf[buckets]
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(texts)))
        out = np.zeros((len(texts), len(self.idf)), dtype=np.float32)
        out[rows, buckets] = values * (self.weight / np.maximum(norms[rows], 1e-9))
        return out
