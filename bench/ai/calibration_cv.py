"""Choose the classifier's top-end settings by cross-validation on the TRAIN files of CLINC150
and HWU64 together (issue #19). No test file is read here.

    ../../.venv/bin/python calibration_cv.py [--cache DIR] [--out calibration_cv.json]

For each data set, the product's own `classifier.cross_fit` predicts every train row by a head
that never saw it (5 stratified folds, as in training). Then, for every candidate `TopEnd`
setting, `classifier.calibrated(..., assess=True)` scores those rows with calibrations fitted on
the other rows (5 parts): no fitting step, head or calibration, saw the row it is judged on; this
is the same assessment a retrain is accepted or refused on. Pooled over the rows, each setting
gets accuracy, ECE, precision and coverage at 0.90 (and `oos_auto_rate` for CLINC150). The
chosen setting meets the most goals over both sets (ECE <= 0.02, precision >= 99%, coverage >= 65%
CLINC150 / 62% HWU64, `oos_auto_rate` < 1%), then has the largest mean coverage, then the lowest
mean ECE; every setting's figures are written to `--out`.
(A fully nested version, refitting the heads per outer fold, costs five times as much: 30 head
fits per set; on two shared cores that did not fit in the session, see bench/README.md.)
"""

import argparse
import csv
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "backend"))
SHARED = HERE.parents[2] / "shared" / "data"

PRECISIONS = (0.99, 0.992, 0.994, 0.996, 0.998)
ABOVE = ("keep", "stretch")
KEEP_BELOW = (0.85, 0.88)
SHOWN = ("accuracy", "ece", "precision", "coverage", "oos_auto_rate")
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


def settings():
    from mancrel.ai.classifier import TopEnd

    return [TopEnd(precision=p, above=a, keep_below=k) for p, a, k in itertools.product(PRECISIONS, ABOVE, KEEP_BELOW)]


def assess(name: str, cache: Path | None) -> dict[str, dict]:
    """Per setting, the cross-validated report of the set's train rows."""
    from mancrel.ai import classifier

    texts, vectors, labels, oos = read(name, cache)
    started = time.monotonic()
    fitted = classifier.cross_fit(vectors, labels, texts=texts, oos_label=oos, served_head=False)
    print(f"{name}: cross-fitted in {time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
    reports = {}
    for top in settings():
        _, reports[repr(top)] = classifier.calibrated(fitted, top, assess=True)
        print(f"{name}: {top} {json.dumps({k: round(v, 4) for k, v in reports[repr(top)].items() if k in SHOWN})}",
              file=sys.stderr, flush=True)
    return reports


def goals_met(name: str, report: dict) -> int:
    """How many of the set's goals (ECE, precision, coverage, `oos_auto_rate`) the report meets."""
    checks = [report["ece"] <= GOALS["ece"], report["precision"] >= GOALS["precision"],
              report["coverage"] >= COVERAGE_GOALS[name]]
    if "oos_auto_rate" in report:
        checks.append(report["oos_auto_rate"] < GOALS["oos_auto_rate"])
    return sum(checks)


def meets(report: dict) -> bool:
    return (report["ece"] <= GOALS["ece"] and report["precision"] >= GOALS["precision"]
            and report.get("oos_auto_rate", 0.0) < GOALS["oos_auto_rate"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", help="folder for the train files' embeddings (reused when present)")
    parser.add_argument("--out", default=str(HERE / "calibration_cv.json"))
    parser.add_argument("--sets", default="clinc150,hwu64",
                        help="sets to run now; with --cache, the other set's figures are read from there")
    args = parser.parse_args()
    cache = Path(args.cache) if args.cache else None
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
            results.setdefault(key, {})[name] = {k: round(v, 4) if isinstance(v, float) else v
                                                for k, v in report.items()}
    if not all(len(by_set) == 2 for by_set in results.values()):
        print("figures of one set only: run the other (or both) to choose", file=sys.stderr)
        return 1
    table = []
    for key, by_set in results.items():
        ok = all(meets(r) and r["coverage"] >= COVERAGE_GOALS[n] for n, r in by_set.items())
        table.append({"setting": key, "meets_goals_on_both": ok,
                      "goals_met": sum(goals_met(name, r) for name, r in by_set.items()),
                      "mean_coverage": round(float(np.mean([r["coverage"] for r in by_set.values()])), 4),
                      "mean_ece": round(float(np.mean([r["ece"] for r in by_set.values()])), 4), **by_set})
    # Every goal met on both sets, else the most goals met; then the largest mean coverage, then
    # the lowest mean ECE.
    chosen = max(table, key=lambda row: (row["goals_met"], row["mean_coverage"], -row["mean_ece"]))
    Path(args.out).write_text(json.dumps({"method": " ".join(__doc__.split("\n\n")[2].split()), "folds": 5,
                                          "goals": GOALS, "chosen": chosen["setting"], "settings": table},
                                         indent=1))
    for row in table:
        c, h = row["clinc150"], row["hwu64"]
        print(f"{row['setting']:<60} clinc ece {c['ece']:.3f} prec {c['precision']:.4f} cov {c['coverage']:.3f} "
              f"oos_auto {c['oos_auto_rate']:.3f} | hwu ece {h['ece']:.3f} prec {h['precision']:.4f} "
              f"cov {h['coverage']:.3f} {'OK' if row['meets_goals_on_both'] else ''}")
    print(f"chosen: {chosen['setting']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
