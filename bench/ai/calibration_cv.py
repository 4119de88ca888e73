"""Choose the classifier's top-end settings by cross-validation on the TRAIN files of CLINC150
and HWU64 together (issue #19). No test file is read here.

    ../../.venv/bin/python calibration_cv.py [--cache DIR] [--out calibration_cv.json]

For each data set, the product's own `classifier.cross_fit` predicts every train row by a head
that never saw it (5 stratified folds, as in training). Then, for every candidate `TopEnd`
setting, `classifier.calibrated_settings(..., assess=True)` (what `calibrated` runs in training)
scores those rows with calibrations fitted on the other rows (5 parts): no fitting step, head or
calibration, saw the row it is judged on; this is the same assessment a retrain is accepted or
refused on. Pooled over the rows, each setting gets accuracy, ECE, precision and coverage at 0.90
(and `oos_auto_rate` for CLINC150). CLINC150's train file has 100 out-of-scope rows in 15,100 where
its test file (and a real inbox) has 18%: its ECE, precision and coverage are judged with the
out-of-scope rows weighted to 20% of traffic (the product's OOS_PRIOR), as the test will weigh
them; the unweighted figures are written too. A large train file hides what a small
calibration set does to the anchor (the shipped examples: 1,627 rows, 13 labels; a seller's
retrain), so each setting is also assessed on small sets cut from each train file (SMALL_INTENTS
neighbouring intents with all their rows, plus the out-of-scope rows; SMALL_SEEDS draws, pooled),
where its precision at 0.90 must reach 99% too. The chosen setting meets the most goals over both
sets (ECE <= 0.02, precision >= 99%, coverage >= 65% CLINC150 / 62% HWU64, `oos_auto_rate` < 1%,
small-set precision >= 99%), then has the largest mean coverage, then the lowest mean ECE; every
setting's figures are written to `--out`.
(A fully nested version, refitting the heads per outer fold, costs five times as much: 30 head
fits per set; on two shared cores that did not fit in the session, see bench/README.md.)
"""

import argparse
import csv
import dataclasses
import itertools
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "backend"))
SHARED = HERE.parents[2] / "shared" / "data"

# The second attempt compared "keep" with "stretch" and keep_below 0.85 with 0.88: "keep" won on
# ECE everywhere and keep_below made no difference of note, so both are fixed here.
PRECISIONS = (0.99, 0.992, 0.994, 0.996)
BOUNDS = (0.0, 1.0, 1.645, 2.326)  # z of the one-sided lower bound: none, 84%, 95%, 99%
NEAR = (0.0, 0.05, 0.1, 0.2)
NEAR_PRECISIONS = (0.995, 0.998, 0.999)
SMALL_INTENTS = 12
SMALL_SEEDS = (1, 2, 3)
COVERAGE_GOALS = {"clinc150": 0.65, "hwu64": 0.62}
GOALS = {"ece": 0.02, "precision": 0.99, "oos_auto_rate": 0.01}


def train_rows(name: str) -> tuple[list[str], list[str], str | None]:
    if name == "clinc150":
        data = json.loads((SHARED / "clinc150" / "data_full.json").read_text())
        pairs = data["train"] + data["oos_train"]
        return [t for t, _ in pairs], [label for _, label in pairs], "oos"
    with (SHARED / "hwu64" / "train.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["label"] for r in rows], None


def read(name: str, cache: Path | None):
    from mancrel.ai import service

    texts, labels, oos = train_rows(name)
    if cache and (cache / f"{name}_vectors.npy").exists():
        words = json.loads((cache / f"{name}_rows.json").read_text())["texts"]
        return words, np.load(cache / f"{name}_vectors.npy"), labels, oos
    words, vectors = service.read(texts)
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        np.save(cache / f"{name}_vectors.npy", vectors)
        (cache / f"{name}_rows.json").write_text(json.dumps({"texts": words, "labels": labels}))
    return words, vectors, labels, oos


def cross_fitted(name: str, cache: Path | None):
    """The out-of-fold predictions of the set's train rows (the slow part: five head fits), kept in
    `cache` so that calibration candidates can be compared again without refitting the heads."""
    from mancrel.ai import classifier

    saved = cache / f"{name}_crossfit.pickle" if cache else None
    if saved and saved.exists():
        return pickle.loads(saved.read_bytes())  # noqa: S301 (written by this script, just above)
    texts, vectors, labels, oos = read(name, cache)
    started = time.monotonic()
    fitted = classifier.cross_fit(vectors, labels, texts=texts, oos_label=oos, served_head=False)
    print(f"{name}: cross-fitted in {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
    if saved:
        # The features matrix is not needed to calibrate (and is most of the size).
        saved.write_bytes(pickle.dumps(dataclasses.replace(fitted, x=np.zeros((0, 0)))))
    return fitted


def small_cross_fitted(name: str, cache: Path | None, seed: int):
    """Out-of-fold predictions of a small set cut from the train file, the shape of the shipped
    examples (13 labels, 1,627 rows, one shop's overlapping intents) and of a seller's retrain,
    where the anchor rests on few rows: an intent drawn at random and the SMALL_INTENTS - 1
    intents whose mean sentence vectors are nearest its own, with all their rows (plus every
    out-of-scope row). Intents drawn at random from 150 are told apart 99% of the time (tried
    first: every setting met 99% there); a neighbourhood is as hard as one shop's intents."""
    from mancrel.ai import classifier
    from mancrel.ai.embeddings import DIMENSIONS

    saved = cache / f"{name}_near{seed}_crossfit.pickle" if cache else None
    if saved and saved.exists():
        return pickle.loads(saved.read_bytes())  # noqa: S301 (written by this script, just below)
    texts, vectors, labels, oos = read(name, cache)
    intents = sorted(set(labels) - {oos})
    by_label = np.array(labels)
    centres = np.array([vectors[by_label == intent, :DIMENSIONS].mean(axis=0) for intent in intents])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    start = np.random.default_rng(seed).integers(len(intents))
    nearest = np.argsort(-(centres @ centres[start]))[:SMALL_INTENTS]
    chosen = {intents[i] for i in nearest} | {oos}
    rows = [i for i, label in enumerate(labels) if label in chosen]
    fitted = classifier.cross_fit(vectors[rows], [labels[i] for i in rows], texts=[texts[i] for i in rows],
                                  oos_label=oos, served_head=False)
    fitted = dataclasses.replace(fitted, x=np.zeros((0, 0)))
    if saved:
        saved.write_bytes(pickle.dumps(fitted))
    return fitted


def small_reports(name: str, cache: Path | None, tops: list) -> dict[str, dict]:
    """Per setting, the small sets' figures pooled over SMALL_SEEDS draws (precision over every
    row shown at 0.90 or more, the rest averaged)."""
    from mancrel.ai import classifier

    pooled: dict[str, list[dict]] = {repr(top): [] for top in tops}
    for seed in SMALL_SEEDS:
        fitted = small_cross_fitted(name, cache, seed)
        for top, (_, report) in zip(tops, classifier.calibrated_settings(fitted, tops, assess=True), strict=True):
            pooled[repr(top)].append(judged(report) | {"sent": judged(report)["coverage"] * report["rows"]})
    out = {}
    for key, reports in pooled.items():
        sent = sum(r["sent"] for r in reports)
        out[key] = {"rows": sum(r["rows"] for r in reports), "sent": round(sent, 1),
                    "precision": sum(r["precision"] * r["sent"] for r in reports) / sent if sent else 1.0,
                    **{k: float(np.mean([r[k] for r in reports])) for k in ("accuracy", "ece", "coverage")}}
    return out


def settings():
    from mancrel.ai.top_end import TopEnd

    tops = []
    for precision, bound, near in itertools.product(PRECISIONS, BOUNDS, NEAR):
        for near_precision in NEAR_PRECISIONS if near else NEAR_PRECISIONS[:1]:
            tops.append(TopEnd(precision=precision, above="keep", keep_below=0.88, bound=bound, near=near,
                               near_precision=near_precision))
    return tops


def judged(report: dict) -> dict:
    """The figures a set is judged on: traffic-weighted where the set has out-of-scope rows."""
    return report | report.get("traffic", {})


def assess(name: str, cache: Path | None) -> dict[str, dict]:
    """Per setting, the cross-validated report of the set's train rows."""
    from mancrel.ai import classifier

    fitted = cross_fitted(name, cache)
    tops = settings()
    started = time.monotonic()
    reports = {repr(top): report for top, (_, report) in
               zip(tops, classifier.calibrated_settings(fitted, tops, assess=True), strict=True)}
    for key, small in small_reports(name, cache, tops).items():
        reports[key]["small"] = small
    print(f"{name}: {len(tops)} settings assessed in {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
    return reports


def goals_met(name: str, report: dict) -> int:
    """How many of the set's goals (ECE, precision, coverage, `oos_auto_rate`) the report meets."""
    report = judged(report)
    checks = [report["ece"] <= GOALS["ece"], report["precision"] >= GOALS["precision"],
              report["coverage"] >= COVERAGE_GOALS[name]]
    if "oos_auto_rate" in report:
        checks.append(report["oos_auto_rate"] < GOALS["oos_auto_rate"])
    if "small" in report:  # a small calibration set must not send on at less than 99% either
        checks.append(report["small"]["precision"] >= GOALS["precision"])
    return sum(checks)


def meets(report: dict) -> bool:
    small = report.get("small", {}).get("precision", 1.0) >= GOALS["precision"]
    report = judged(report)
    return (report["ece"] <= GOALS["ece"] and report["precision"] >= GOALS["precision"]
            and report.get("oos_auto_rate", 0.0) < GOALS["oos_auto_rate"] and small)


def _rounded(report: dict) -> dict:
    return {k: _rounded(v) if isinstance(v, dict) else round(v, 4) if isinstance(v, float) else v
            for k, v in report.items()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", help="folder for the train files' embeddings (reused when present)")
    parser.add_argument("--out", default=str(HERE / "calibration_cv.json"))
    parser.add_argument("--fit-only", action="store_true", help="cross-fit the sets into --cache, assess nothing")
    parser.add_argument("--sets", default="clinc150,hwu64",
                        help="sets to run now; with --cache, the other set's figures are read from there")
    args = parser.parse_args()
    cache = Path(args.cache) if args.cache else None
    if args.fit_only:
        for name in args.sets.split(","):
            cross_fitted(name, cache)
        return 0
    results: dict[str, dict] = {}
    for name in ("clinc150", "hwu64"):
        saved = cache / f"{name}_reports.json" if cache else None
        if name in args.sets.split(","):
            reports = assess(name, cache)
            if saved:
                saved.write_text(json.dumps(reports))
        elif saved and saved.exists():
            reports = json.loads(saved.read_text())
        else:
            continue
        for key, report in reports.items():
            results.setdefault(key, {})[name] = _rounded(report)
    if not all(len(by_set) == 2 for by_set in results.values()):
        print("figures of one set only: run the other (or both) to choose", file=sys.stderr)
        return 1
    table = []
    for key, by_set in results.items():
        ok = all(meets(r) and judged(r)["coverage"] >= COVERAGE_GOALS[n] for n, r in by_set.items())
        table.append({"setting": key, "meets_goals_on_both": ok,
                      "goals_met": sum(goals_met(name, r) for name, r in by_set.items()),
                      "mean_coverage": round(float(np.mean([judged(r)["coverage"] for r in by_set.values()])), 4),
                      "mean_ece": round(float(np.mean([judged(r)["ece"] for r in by_set.values()])), 4), **by_set})
    # Every goal met on both sets, else the most goals met; then the largest mean coverage, then
    # the lowest mean ECE.
    chosen = max(table, key=lambda row: (row["goals_met"], row["mean_coverage"], -row["mean_ece"]))
    Path(args.out).write_text(json.dumps({"method": " ".join(__doc__.split("\n\n")[2].split()), "folds": 5,
                                          "goals": GOALS, "chosen": chosen["setting"], "settings": table},
                                         indent=1))
    for row in sorted(table, key=lambda r: (r["goals_met"], r["mean_coverage"], -r["mean_ece"]))[-25:]:
        c, h = judged(row["clinc150"]), row["hwu64"]
        cs, hs = c["small"], h["small"]
        print(f"{row['setting'][7:]:<92} {row['goals_met']}/9 clinc (traffic) ece {c['ece']:.3f} "
              f"prec {c['precision']:.4f} cov {c['coverage']:.3f} oos_auto {c['oos_auto_rate']:.3f} "
              f"small prec {cs['precision']:.4f} cov {cs['coverage']:.3f} | hwu ece {h['ece']:.3f} "
              f"prec {h['precision']:.4f} cov {h['coverage']:.3f} small prec {hs['precision']:.4f} "
              f"cov {hs['coverage']:.3f}")
    print(f"chosen: {chosen['setting']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
