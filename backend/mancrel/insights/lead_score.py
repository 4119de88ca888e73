"""The lead-score model: a regularised logistic regression small enough to explain.

Each active contact is a row of readable signals (stage of the best open deal, its size, messages
and their intents, how fast we answered, engagement, past deals, source and company fields). The
model is fitted by Newton's method on the CRM's own history, with a Gaussian prior centred on
`PRIOR` instead of on zero: a MAP estimate. With little history (a new shop, a few dozen closed
deals) the prior's hand-set weights dominate, so the score still ranks a contact in "Negotiation"
who asked to buy above a silent one; as closed deals accumulate the data takes over. `PRIOR_WEIGHT`
is worth about that many observations per coefficient.

Reasons: a feature's part of the score is how far the score would move if that feature were at
its reference value (the training average), in points. The largest parts are the top reasons.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mancrel.core.wording import days_ago, plural

# Base rate for a contact with no signal at all: about 1 in 20 active contacts wins within 90 days.
PRIOR_INTERCEPT = math.log(0.05 / 0.95)
PRIOR: dict[str, float] = {
    "stage_probability": 3.0,  # a deal in a 60% stage is much likelier to close than one just opened
    "open_deal": 0.5,
    "deal_size": 0.0,
    "messages_30d": 0.3,
    "recency": 0.8,
    "asked_to_buy": 0.8,
    "asked_pricing": 0.5,
    "asked_products": 0.2,
    "complaints": -0.5,
    "negative_share": -0.8,
    "reply_slowness": -0.5,
    "activities_30d": 0.2,
    "past_wins": 0.5,
    "past_losses": -0.2,
    "has_company": 0.1,
}
NUMERIC = tuple(PRIOR)
CATEGORICAL = ("source", "industry", "size")
PRIOR_WEIGHT = 10.0
INTERCEPT_WEIGHT = 0.1
VOCABULARY_SIZE = 8     # most frequent values per categorical field
VOCABULARY_MIN_ROWS = 20  # a category seen fewer times has nothing to teach
REASONS = 4
MIN_POINTS = 1.0


def numeric_features(raw: Mapping[str, Any]) -> dict[str, float]:
    """Readable signals -> model inputs on comparable scales (logs of counts, shares, 0/1)."""
    open_deal = raw.get("stage_probability") is not None
    days = raw.get("days_since_inbound")
    inbound_90d = raw.get("inbound_90d") or 0
    return {
        "stage_probability": (raw["stage_probability"] / 100.0) if open_deal else 0.0,
        "open_deal": 1.0 if open_deal else 0.0,
        "deal_size": math.log10(1.0 + float(raw.get("deal_amount") or 0)) if open_deal else 0.0,
        "messages_30d": math.log1p(raw.get("inbound_30d") or 0),
        "recency": math.exp(-days / 14.0) if days is not None else 0.0,
        "asked_to_buy": math.log1p(raw.get("asked_to_buy") or 0),
        "asked_pricing": math.log1p(raw.get("asked_pricing") or 0),
        "asked_products": math.log1p(raw.get("asked_products") or 0),
        "complaints": math.log1p(raw.get("complaints") or 0),
        "negative_share": (raw.get("negative") or 0) / inbound_90d if inbound_90d else 0.0,
        "reply_slowness": (math.log1p(raw["reply_hours"]) / math.log(169.0)
                           if raw.get("reply_hours") is not None else 0.0),
        "activities_30d": math.log1p(raw.get("activities_30d") or 0),
        "past_wins": math.log1p(raw.get("past_wins") or 0),
        "past_losses": math.log1p(raw.get("past_losses") or 0),
        "has_company": 1.0 if raw.get("has_company") else 0.0,
    }


def vocabulary(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    vocab: dict[str, list[str]] = {}
    for name in CATEGORICAL:
        counts: dict[str, int] = {}
        for row in rows:
            if row.get(name):
                counts[row[name]] = counts.get(row[name], 0) + 1
        common = sorted((c for c in counts.items() if c[1] >= VOCABULARY_MIN_ROWS), key=lambda c: (-c[1], c[0]))
        vocab[name] = [value for value, _ in common[:VOCABULARY_SIZE]]
    return vocab


def column_names(vocab: Mapping[str, list[str]]) -> list[str]:
    return [*NUMERIC, *(f"{name}={value}" for name in CATEGORICAL for value in vocab.get(name, []))]


def encode(raw: Mapping[str, Any], vocab: Mapping[str, list[str]]) -> dict[str, float]:
    values = numeric_features(raw)
    for name in CATEGORICAL:
        for value in vocab.get(name, []):
            values[f"{name}={value}"] = 1.0 if raw.get(name) == value else 0.0
    return values


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass
class Model:
    version: int
    coefficients: dict[str, float]  # "(intercept)" included
    reference: dict[str, float]
    vocabulary: dict[str, list[str]] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)

    def logit(self, values: Mapping[str, float]) -> float:
        return self.coefficients["(intercept)"] + sum(
            weight * values.get(name, 0.0) for name, weight in self.coefficients.items() if name != "(intercept)")

    def probability(self, raw: Mapping[str, Any]) -> float:
        return float(_sigmoid(np.array(self.logit(encode(raw, self.vocabulary)))))

    def explain(self, raw: Mapping[str, Any]) -> tuple[float, list[dict[str, Any]]]:
        """The probability and the top reasons: each feature's points, measured against its
        reference value with every other feature as it is."""
        values = encode(raw, self.vocabulary)
        z = self.logit(values)
        p = float(_sigmoid(np.array(z)))
        parts = []
        for name, weight in self.coefficients.items():
            if name == "(intercept)" or weight == 0.0:
                continue
            delta = weight * (values.get(name, 0.0) - self.reference.get(name, 0.0))
            points = 100.0 * (p - float(_sigmoid(np.array(z - delta))))
            if abs(points) >= MIN_POINTS:
                parts.append({"feature": name, "points": round(points, 1), "text": describe(name, raw)})
        parts.sort(key=lambda part: -abs(part["points"]))
        return p, parts[:REASONS]


def prior_model() -> Model:
    """The model before any history: the prior's weights, reasons measured from a silent contact."""
    return Model(version=0, coefficients={"(intercept)": PRIOR_INTERCEPT, **PRIOR},
                 reference=dict.fromkeys(NUMERIC, 0.0), metrics={"rows": 0, "source": "prior"})


def fit(rows: Sequence[Mapping[str, Any]], labels: Sequence[int], *, version: int, iterations: int = 30) -> Model:
    """MAP logistic regression with a Gaussian prior centred on PRIOR (see the module docstring)."""
    if not rows:
        model = prior_model()
        model.version = version
        return model
    vocab = vocabulary(rows)
    names = column_names(vocab)
    x = np.array([[encoded[n] for n in names] for encoded in (encode(r, vocab) for r in rows)], dtype=float)
    x = np.hstack([np.ones((len(rows), 1)), x])
    y = np.asarray(labels, dtype=float)
    w0 = np.array([PRIOR_INTERCEPT, *(PRIOR.get(n, 0.0) for n in names)])
    penalty = np.array([INTERCEPT_WEIGHT, *([PRIOR_WEIGHT] * len(names))])
    w = w0.copy()
    for _ in range(iterations):
        p = _sigmoid(x @ w)
        gradient = x.T @ (p - y) + penalty * (w - w0)
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    p = _sigmoid(x @ w)
    metrics = {"rows": len(rows), "positives": int(y.sum()), "auc_train": auc(y, p),
               "brier_train": float(np.mean((p - y) ** 2)), "source": "history"}
    return Model(version=version, coefficients={"(intercept)": float(w[0]), **dict(zip(names, map(float, w[1:]),
                                                                                       strict=True))},
                 reference=dict(zip(names, map(float, x[:, 1:].mean(axis=0)), strict=True)),
                 vocabulary=vocab, metrics=metrics)


def auc(y: np.ndarray, scores: np.ndarray) -> float | None:
    """ROC AUC by ranks (ties share their average rank); None when one class is missing."""
    y = np.asarray(y, dtype=float)
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = np.asarray(scores)[order]
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def describe(name: str, raw: Mapping[str, Any]) -> str:
    """A reason a rep can read, from the raw values behind one feature."""
    if "=" in name:
        field_name, value = name.split("=", 1)
        if raw.get(field_name) != value:
            return {"source": "did not come from {v}", "industry": "company not in {v}",
                    "size": "company size is not {v}"}[field_name].format(v=value)
        return {"source": "came from {v}", "industry": "company in {v}", "size": "company size {v}"}[
            field_name].format(v=value)
    days = raw.get("days_since_inbound")
    texts = {
        "stage_probability": lambda: (f"open deal at stage {raw.get('stage_name')} ({raw['stage_probability']}%)"
                                      if raw.get("stage_probability") is not None else "no open deal"),
        "open_deal": lambda: "has an open deal" if raw.get("stage_probability") is not None else "no open deal",
        "deal_size": lambda: " ".join(filter(None, ("open deal worth", f"{float(raw.get('deal_amount') or 0):,.0f}",
                                                    raw.get("deal_currency")))),
        "messages_30d": lambda: f"{plural(raw.get('inbound_30d') or 0, 'message')} in the last 30 days",
        "recency": lambda: (f"last wrote {days_ago(days)}" if days is not None
                            else "has not written in 90 days"),
        "asked_to_buy": lambda: f"asked to buy {_times(raw.get('asked_to_buy') or 0)} in 90 days"
        if raw.get("asked_to_buy") else "has not asked to buy",
        "asked_pricing": lambda: f"asked about prices {_times(raw.get('asked_pricing') or 0)} in 90 days"
        if raw.get("asked_pricing") else "has not asked about prices",
        "asked_products": lambda: f"asked about products {_times(raw.get('asked_products') or 0)} in 90 days",
        "complaints": lambda: plural(raw.get("complaints") or 0, "complaint or return",
                                     "complaints or returns") + " in 90 days",
        "negative_share": lambda: (f"{raw.get('negative') or 0} of {plural(raw.get('inbound_90d') or 0, 'message')}"
                                   " negative"),
        "reply_slowness": lambda: (f"our replies took {raw['reply_hours']:.0f} h on average"
                                   if raw.get("reply_hours") is not None else "no messages to answer"),
        "activities_30d": lambda: plural(raw.get("activities_30d") or 0, "call, meeting or note",
                                         "calls, meetings or notes") + " in 30 days",
        "past_wins": lambda: f"won {plural(raw.get('past_wins') or 0, 'deal')} before",
        "past_losses": lambda: f"lost {plural(raw.get('past_losses') or 0, 'deal')} before",
        "has_company": lambda: "works at a known company" if raw.get("has_company") else "no company on record",
    }
    return texts[name]()
