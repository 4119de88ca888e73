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


def hashed_counts(texts: list[str], dimensions: int = DIMENSIONS) -> np.ndarray:
    """(n, dimensions) float32 counts of each text's n-grams, hashed into buckets."""
    counts = np.zeros((len(texts), dimensions), dtype=np.float32)
    for row, text in enumerate(texts):
        buckets = [zlib.crc32(g.encode()) % dimensions for g in ngrams(text)]
        np.add.at(counts[row], buckets, 1.0)
    return counts


@dataclass
class LexicalFeatures:
    idf: np.ndarray  # (dimensions,) inverse document frequency of each bucket in training
    weight: float = 1.0  # each row's norm: the block's say against the other features

    @classmethod
    def fit(cls, texts: list[str], *, weight: float = 1.0, dimensions: int = DIMENSIONS) -> "LexicalFeatures":
        present = (hashed_counts(texts, dimensions) > 0).sum(axis=0)
        return cls(idf=(np.log((1 + len(texts)) / (1 + present)) + 1).astype(np.float32), weight=weight)

    def transform(self, texts: list[str]) -> np.ndarray:
        """Log-count TF-IDF rows scaled to norm `weight` (float32)."""
        x = np.log1p(hashed_counts(texts, len(self.idf))) * self.idf
        return x * (self.weight / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9))
