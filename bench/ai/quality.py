"""Classifier quality on CLINC150 and HWU64 from one command (issue #19).

    cd bench/ai && ../../.venv/bin/python quality.py [--sets clinc150,hwu64]

For each set, `mancrel ai eval` trains a fresh model of the product's kind on the train file
(CLINC150: train + oos_train; HWU64: train.csv) and reads the test file once, after training and
calibration. Printed per set: accuracy, macro F1, ECE, precision and coverage at 0.90 (and
in-scope accuracy, out-of-scope recall and `oos_auto_rate` for CLINC150), against the goals; a
reliability plot per set is saved beside this file. Also printed: the top-end setting the product
uses and the cross-validation on the train files that chose it (`calibration_cv.json`,
written by `calibration_cv.py`, which never reads a test file).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clinc import reliability_plot, write_csv

HERE = Path(__file__).resolve().parent
BACKEND = HERE.parents[1] / "backend"
SHARED = HERE.parents[2] / "shared" / "data"
GOALS = {"clinc150": {"ece": 0.02, "precision": 0.99, "coverage": 0.65, "oos_auto_rate": 0.01},
         "hwu64": {"ece": 0.02, "precision": 0.99, "coverage": 0.62}}


def files(name: str, folder: Path) -> tuple[Path, Path, str | None]:
    if name == "hwu64":
        return SHARED / "hwu64" / "train.csv", SHARED / "hwu64" / "test.csv", None
    data = json.loads((SHARED / "clinc150" / "data_full.json").read_text())
    write_csv(folder / "train.csv", data["train"] + data["oos_train"])
    write_csv(folder / "test.csv", data["test"] + data["oos_test"])
    return folder / "train.csv", folder / "test.csv", "oos"


def run(name: str, threshold: float) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"mancrel-{name}-") as tmp:
        train, test, oos = files(name, Path(tmp))
        predictions = Path(tmp) / "predictions.jsonl"
        command = [sys.executable, "-m", "mancrel", "ai", "eval", "--train", str(train), "--test", str(test),
                   "--threshold", str(threshold), "--json", "--predictions", str(predictions)]
        if oos:
            command += ["--oos-label", oos]
        started = time.monotonic()
        done = subprocess.run(command, cwd=BACKEND, stdout=subprocess.PIPE, text=True, check=True)
        report = json.loads(done.stdout) | {"wall_s": round(time.monotonic() - started, 1)}
        print(f"{name}: {json.dumps(report)}", flush=True)  # before the plot: the test is read once
        label = "CLINC150 test (in-scope + out-of-scope)" if oos else "HWU64 test"
        reliability_plot(predictions, HERE / f"{name}_reliability.png", threshold,
                         name="CLINC150" if oos else "HWU64", rows_label=label)
    return report


def verdict(report: dict, goals: dict) -> str:
    misses = [k for k, limit in goals.items()
              if (report[k] > limit if k == "ece" else report[k] < limit if k != "oos_auto_rate"
                  else report[k] >= limit)]
    return "all goals met" if not misses else "missed: " + ", ".join(misses)


def main() -> int:
    sys.path.insert(0, str(BACKEND))
    from mancrel.ai.classifier import DEFAULT_TOP_END

    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="clinc150,hwu64")
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    print(f"top-end setting in the product: {DEFAULT_TOP_END.as_meta()}")
    cv = HERE / "calibration_cv.json"
    if cv.exists():
        chosen = json.loads(cv.read_text())
        row = next(r for r in chosen["settings"] if r["setting"] == chosen["chosen"])
        print(f"chosen by {chosen['folds']}-fold cross-validation on the train files: {chosen['chosen']}")
        for name in ("clinc150", "hwu64"):
            figures = {k: row[name][k] for k in ("accuracy", "ece", "precision", "coverage", "oos_auto_rate")
                       if k in row[name]}
            print(f"  cross-validated on {name} train: {figures}")
            if "traffic" in row[name]:
                print(f"  (out-of-scope rows weighted to 20% of traffic: {row[name]['traffic']})")
    for name in args.sets.split(","):
        report = run(name, args.threshold)
        print(f"{name}: {verdict(report, GOALS[name])}; reliability plot {HERE / f'{name}_reliability.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
