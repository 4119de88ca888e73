"""Multinomial logistic regression in numpy: the intent and sentiment heads.

Small and dependency-free: the features are sentence embeddings, where a linear model
is close to the best and trains on 15,000 rows in well under a minute with full-batch Adam.
"""

from dataclasses import dataclass

import numpy as np


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class Softmax:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: np.ndarray

    def logits(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def proba(self, x: np.ndarray, temperature: float = 1.0) -> np.ndarray:
        return softmax(self.logits(x) / temperature)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_mean": self.mean, f"{prefix}_scale": self.scale,
                f"{prefix}_weights": self.weights, f"{prefix}_bias": self.bias}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> "Softmax":
        return cls(*(arrays[f"{prefix}_{name}"] for name in ("mean", "scale", "weights", "bias")))


def fit_softmax(x: np.ndarray, y: np.ndarray, n_classes: int, *, l2: float = 1e-3, epochs: int = 300,
                lr: float = 0.01, class_weight: np.ndarray | None = None, sample_weight: np.ndarray | None = None,
                progress=None) -> Softmax:
    """Full-batch Adam on the weighted cross-entropy plus an L2 penalty on the weights."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    xs = ((x - mean) / scale).astype(np.float64)
    n, d = xs.shape
    weights, bias = np.zeros((d, n_classes)), np.zeros(n_classes)
    onehot = np.eye(n_classes)[y]
    row_weight = (class_weight[y] if class_weight is not None else np.ones(n))[:, None]
    if sample_weight is not None:
        row_weight = row_weight * sample_weight[:, None]
    row_weight = row_weight / row_weight.sum()
    m = [np.zeros_like(weights), np.zeros_like(bias)]
    v = [np.zeros_like(weights), np.zeros_like(bias)]
    for step in range(1, epochs + 1):
        grad = (softmax(xs @ weights + bias) - onehot) * row_weight
        grads = (xs.T @ grad + l2 * weights, grad.sum(axis=0))
        for i, (param, g) in enumerate(zip((weights, bias), grads, strict=True)):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            param -= lr * (m[i] / (1 - 0.9**step)) / (np.sqrt(v[i] / (1 - 0.999**step)) + 1e-8)
        if progress and step % 50 == 0:
            progress(f"epoch {step}/{epochs}")
    return Softmax(mean.astype(np.float32), scale.astype(np.float32),
                   weights.astype(np.float32), bias.astype(np.float32))


def fit_temperature(logits: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> float:
    """The temperature minimising held-out negative log-likelihood (a 1-D grid search)."""
    best_nll, best_t = np.inf, 1.0
    rows = np.arange(len(y))
    w = np.ones(len(y)) if weights is None else weights
    for t in np.exp(np.linspace(np.log(0.05), np.log(20.0), 300)):
        nll = -(w * np.log(softmax(logits / t)[rows, y] + 1e-12)).sum() / w.sum()
        if nll < best_nll:
            best_nll, best_t = nll, float(t)
    return best_t


def fit_binary(x: np.ndarray, y: np.ndarray, *, l2: float = 1e-3, steps: int = 2000, lr: float = 0.1,
               weights: np.ndarray | None = None) -> np.ndarray:
    """Logistic regression for a 0/1 target; returns [mean..., scale..., weights..., bias]."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    xs = (x - mean) / scale
    w, b = np.zeros(x.shape[1]), 0.0
    row_w = np.ones(len(y)) if weights is None else weights / weights.mean()
    for _ in range(steps):
        g = (1 / (1 + np.exp(-(xs @ w + b))) - y) * row_w
        w -= lr * (xs.T @ g / len(y) + l2 * w)
        b -= lr * g.mean()
    return np.concatenate([mean, scale, w, [b]]).astype(np.float64)


def apply_binary(params: np.ndarray, x: np.ndarray) -> np.ndarray:
    d = x.shape[1]
    mean, scale, w, b = params[:d], params[d:2 * d], params[2 * d:3 * d], params[3 * d]
    return 1 / (1 + np.exp(-(((x - mean) / scale) @ w + b)))
