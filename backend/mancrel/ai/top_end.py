"""How the correctness score becomes the confidence shown at the top end, where the reply gate
sends a message on without a human (issue #19; bench/README.md, AI section).

The anchor is the score from which out-of-fold rows were right often enough to be shown as
TOP_CONFIDENCE or more. "Often enough" can be judged by a lower confidence bound on that precision
instead of the point estimate (`TopEnd.bound`), so a small calibration set is cautious instead of
lucky; the cross-validation on the CLINC150 and HWU64 train files did not choose it (it cost
coverage there, and small sets cut from them reached 99% without it), so the product judges the
point estimate. In-scope answers near the
out-of-scope limit (least like their intent's examples, or most out-of-scope-like to the head)
are where out-of-scope text gets a confident intent: they need their own, stricter anchor.
"""

import dataclasses
from dataclasses import dataclass

import numpy as np

TOP_CONFIDENCE = 0.90
# The setting `train` uses, chosen by cross-validation on the CLINC150 and HWU64 train files
# (bench/ai/calibration_cv.py; bench/README.md, issue #19, third attempt).
TOP_PRECISION = 0.992
TOP_ABOVE = "keep"
TOP_BOUND = 0.0  # CV: the bound cost coverage on both sets and did not lift small-set precision
NEAR_SHARE = 0.1
NEAR_PRECISION = 0.998
SQUEEZE_GAP = 1e-3  # scores just under the anchor are shown this far under TOP_CONFIDENCE at most
# The map leaves confidences below this untouched and squeezes [KEEP_BELOW, anchor] into
# [KEEP_BELOW, TOP_CONFIDENCE]. Squeezing only this thin band keeps the scores under the top end as
# calibrated as the correctness model made them: from 0.60 up, rows 97% right were shown as 0.87
# (ECE on the seller evaluation set 0.116 -> 0.098, CLINC150 0.023 -> 0.019; bench/README.md).
KEEP_BELOW = 0.88
MIN_ANCHOR_ROWS = 20  # fewer rows above a score never earn the top end, whatever their precision


@dataclass(frozen=True)
class TopEnd:
    """`precision`: the (weighted) out-of-fold precision that earns TOP_CONFIDENCE.
    `above`: "keep" shows scores over the anchor as they are (they are calibrated; ECE pays for
    every point they are pulled down); "stretch" maps [anchor, 1] onto [0.90, 1], as models stored
    before issue #19 did.
    `bound`: z of the one-sided lower confidence bound (Wilson, over the effective number of
    weighted rows) that must reach `precision`; 0 judges the point estimate, as models stored
    before the third attempt did.
    `near`: the share of right in-scope out-of-fold answers counted as near the out-of-scope
    limit (the least similar to their intent's examples, and separately the most out-of-scope-like
    to the head); answers beyond either line need `near_precision` among such rows. 0: no rule."""

    precision: float = TOP_PRECISION
    above: str = TOP_ABOVE
    keep_below: float = KEEP_BELOW
    bound: float = TOP_BOUND
    near: float = NEAR_SHARE
    near_precision: float = NEAR_PRECISION

    def as_meta(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_meta(cls, meta: dict | None) -> "TopEnd":
        # Models stored before issue #19 carry no setting: they were made with these; those stored
        # before the third attempt judged the point estimate and had no near-limit rule.
        if not meta:
            return cls(precision=0.998, above="stretch", keep_below=0.88, bound=0.0, near=0.0)
        return cls(**({"bound": 0.0, "near": 0.0} | meta))


def top_end_map(score: np.ndarray, anchor: float | np.ndarray, top: TopEnd | None = None) -> np.ndarray:
    """Monotone and piecewise linear: identity below `keep_below`; [keep_below, anchor) squeezed
    under TOP_CONFIDENCE; at or above the anchor, TOP_CONFIDENCE or more. An anchor at or under
    TOP_CONFIDENCE leaves scores as they are (never inflates). `anchor` may differ per row."""
    top = top or TopEnd()
    score = np.asarray(score, dtype=float)
    anchors = np.broadcast_to(np.asarray(anchor, dtype=float), score.shape)
    out = score.copy()
    for value in np.unique(anchors):
        rows = anchors == value
        out[rows] = _map_one(score[rows], float(value), top)
    return out


def _map_one(score: np.ndarray, anchor: float, top: TopEnd) -> np.ndarray:
    if anchor <= TOP_CONFIDENCE:
        return score
    if top.above == "stretch":
        return np.interp(score, [0.0, top.keep_below, anchor, 1.0], [0.0, top.keep_below, TOP_CONFIDENCE, 1.0])
    squeezed = np.interp(score, [0.0, top.keep_below, anchor], [0.0, top.keep_below, TOP_CONFIDENCE - SQUEEZE_GAP])
    return np.where(score >= anchor, np.maximum(score, TOP_CONFIDENCE), squeezed)


def wilson_lower(precision: np.ndarray, rows: np.ndarray, z: float) -> np.ndarray:
    """One-sided Wilson lower bound of a proportion measured over `rows` (may be fractional)."""
    rows = np.maximum(rows, 1e-9)
    z2 = z * z
    centre = precision + z2 / (2 * rows)
    spread = z * np.sqrt(np.maximum(precision * (1 - precision), 0.0) / rows + z2 / (4 * rows * rows))
    return (centre - spread) / (1 + z2 / rows)


def find_anchor(scores: np.ndarray, correct: np.ndarray, target: float = TOP_PRECISION,
                weights: np.ndarray | None = None, bound: float = 0.0) -> float:
    """The lowest score above which (weighted) held-out precision stays at or over `target`; with
    `bound`, its lower confidence bound must, over Kish's effective number of rows (weights that
    make out-of-scope rows count more also make the estimate noisier)."""
    order = np.argsort(-scores)
    w = (np.ones(len(scores)) if weights is None else weights)[order]
    total = np.cumsum(w)
    precision = np.cumsum(correct[order] * w) / np.maximum(total, 1e-12)
    if bound > 0:
        precision = wilson_lower(precision, total**2 / np.cumsum(w * w), bound)
    ok = np.flatnonzero((precision >= target) & (np.arange(len(order)) >= MIN_ANCHOR_ROWS - 1))
    if not len(ok):
        return 1.0  # the held-out data never earned 0.90: nothing will be said to be that sure
    return float(max(scores[order[ok.max()]], TOP_CONFIDENCE))


@dataclass(frozen=True)
class NearLimit:
    """Where in-scope answers count as near the out-of-scope limit, and the anchor they need."""

    similarity: float  # answers less similar than this to their intent's examples are near
    oos_probability: float  # answers the head gives a larger out-of-scope probability are near
    anchor: float

    def rows(self, similarity: np.ndarray, oos_probability: np.ndarray) -> np.ndarray:
        return (similarity < self.similarity) | (oos_probability > self.oos_probability)

    def as_meta(self) -> dict:
        return dataclasses.asdict(self)


def near_limit(top: TopEnd, scores: np.ndarray, correct: np.ndarray, weights: np.ndarray,
               similarity: np.ndarray, oos_probability: np.ndarray) -> NearLimit | None:
    """The near-limit lines and anchor from out-of-fold in-scope answers (scores, whether right,
    traffic weights, similarity to the nearest example, the head's out-of-scope probability)."""
    right = correct > 0
    if top.near <= 0 or not right.any():
        return None
    lines = NearLimit(float(np.quantile(similarity[right], top.near)),
                      float(np.quantile(oos_probability[right], 1 - top.near)), 1.0)
    near = lines.rows(similarity, oos_probability)
    anchor = find_anchor(scores[near], correct[near], top.near_precision, weights[near], top.bound)
    return dataclasses.replace(lines, anchor=anchor)
