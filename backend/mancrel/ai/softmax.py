"""Multinomial logistic regression in numpy: the intent and sentiment heads.

Small and dependency-free: the features are sentence embeddings (plus hashed n-grams for the
intent head), where a linear model is close to the best and trains on 15,000 rows in seconds.
"""

from dataclasses import dataclass, field

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
    _folded: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)

    def logits(self, x: np.ndarray) -> np.ndarray:
        # ((x - mean) / scale) @ W + b, with the standardisation folded into W and b once.
        if self._folded is None:
            weights = self.weights / self.scale[:, None]
            self._folded = (weights, self.bias - self.mean @ weights)
        weights, bias = self._folded
        return x @ weights + bias

    def proba(self, x: np.ndarray, temperature: float = 1.0) -> np.ndarray:
        return softmax(self.logits(x) / temperature)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_mean": self.mean, f"{prefix}_scale": self.scale,
                f"{prefix}_weights": self.weights, f"{prefix}_bias": self.bias}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> "Softmax":
        return cls(*(arrays[f"{prefix}_{name}"] for name in ("mean", "scale", "weights", "bias")))


def fit_softmax(x: np.ndarray, y: np.ndarray, n_classes: int, *, l2: float = 1e-4, epochs: int = 15,
                lr: float = 0.004, batch_size: int = 512, min_steps: int = 300, standardize: int | None = None,
                class_weight: np.ndarray | None = None, sample_weight: np.ndarray | None = None,
                progress=None, seed: int = 0) -> Softmax:
    """Mini-batch Adam on the weighted cross-entropy plus an L2 penalty on the weights.

    Mini-batches reach a better fit in 15 passes than full-batch Adam did in 300 (CLINC150
    in-scope accuracy 95.2% against 93.8%, in a tenth of the time); small data sets still get
    `min_steps` updates. Only the first `standardize` columns (all by default) are scaled to
    unit variance: sparse lexical columns come pre-weighted and would be blown up by it."""
    n, d = x.shape
    columns = d if standardize is None else standardize
    mean, scale = np.zeros(d, dtype=np.float32), np.ones(d, dtype=np.float32)
    mean[:columns] = x[:, :columns].mean(axis=0)
    scale[:columns] = x[:, :columns].std(axis=0) + 1e-6
    weights, bias = np.zeros((d, n_classes), dtype=np.float32), np.zeros(n_classes, dtype=np.float32)
    row_weight = (class_weight[y] if class_weight is not None else np.ones(n)).astype(np.float32)
    if sample_weight is not None:
        row_weight = row_weight * sample_weight.astype(np.float32)
    adam = _Adam((weights, bias), lr)
    rng = np.random.default_rng(seed)
    batches_per_epoch = -(-n // batch_size)
    total = max(epochs * batches_per_epoch, min_steps)
    step = 0
    while step < total:
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            xs = (x[rows] - mean) / scale
            grad = softmax(xs @ weights + bias)
            grad[np.arange(len(rows)), y[rows]] -= 1
            grad *= (row_weight[rows] / row_weight[rows].sum())[:, None]
            adam.step((xs.T @ grad + l2 * weights, grad.sum(axis=0)))
            step += 1
            if step >= total:
                break
        if progress and (step // batches_per_epoch) % 5 == 0:
            progress(f"step {step}/{total}")
    return Softmax(mean, scale, weights, bias)


class _Adam:
    def __init__(self, params: tuple[np.ndarray, ...], lr: float) -> None:
        self.params, self.lr, self.t = params, lr, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads: tuple[np.ndarray, ...]) -> None:
        self.t += 1
        for param, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            param -= self.lr * (m / (1 - 0.9**self.t)) / (np.sqrt(v / (1 - 0.999**self.t)) + 1e-8)


def fit_temperature(logits: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> float:
    """The temperature minimising held-out negative log-likelihood: a coarse log-spaced grid over
    [0.05, 20], then a fine one around its best point (62 evaluations instead of 300 for a finer
    step: calibration is refitted per fold when a model is assessed)."""
    rows = np.arange(len(y))
    w = np.ones(len(y)) if weights is None else weights

    def nll(t: float) -> float:
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        log_p = z[rows, y] - np.log(np.exp(z).sum(axis=1))
        return float(-(w * log_p).sum() / w.sum())

    coarse = np.linspace(np.log(0.05), np.log(20.0), 31)
    best = coarse[int(np.argmin([nll(float(np.exp(c))) for c in coarse]))]
    step = coarse[1] - coarse[0]
    fine = np.linspace(best - step, best + step, 31)
    return float(np.exp(fine[int(np.argmin([nll(float(np.exp(f))) for f in fine]))]))


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
