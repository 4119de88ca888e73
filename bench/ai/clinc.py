"""CLINC150 quality run: `mancrel ai eval` on train -> test with out-of-scope rows, plus a
reliability plot.

    ../../.venv/bin/python clinc.py [--data ../../../shared/data/clinc150/data_full.json] [--with-val]

The data is converted to `text,label` CSVs in a temporary folder (never copied into the
repository). `--with-val` adds the validation split to the training file (the paper tunes on it).
"""

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BACKEND = HERE.parents[1] / "backend"
DEFAULT_DATA = HERE.parents[2] / "shared" / "data" / "clinc150" / "data_full.json"


def write_csv(path: Path, pairs: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(pairs)


def reliability_plot(predictions: Path, out: Path, threshold: float, name: str = "CLINC150",
                     rows_label: str = "CLINC150 test (in-scope + out-of-scope)") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows = [json.loads(line) for line in predictions.read_text().splitlines()]
    conf = np.array([r["confidence"] for r in rows])
    correct = np.array([r["label"] == r["predicted"] for r in rows], dtype=float)
    edges = np.linspace(0, 1, 16)
    centers, accuracy, counts = [], [], []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            centers.append(conf[mask].mean())
            accuracy.append(correct[mask].mean())
            counts.append(int(mask.sum()))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6, 7), gridspec_kw={"height_ratios": [3, 1]}, sharex=True)
    top.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    top.plot(centers, accuracy, "o-", label=rows_label)
    top.axvline(threshold, color="red", alpha=0.4, label=f"auto threshold {threshold}")
    top.set_ylabel("accuracy")
    top.set_title(f"Mancrel intent classifier: reliability on {name}")
    top.legend(loc="upper left")
    bottom.bar(centers, counts, width=1 / 16, alpha=0.6)
    bottom.set_xlabel("confidence")
    bottom.set_ylabel("rows")
    fig.tight_layout()
    fig.savefig(out, dpi=120)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--with-val", action="store_true")
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--plot", default=str(HERE / "clinc150_reliability.png"))
    args = parser.parse_args()

    data = json.loads(Path(args.data).read_text())
    with tempfile.TemporaryDirectory(prefix="mancrel-clinc-") as tmp:
        folder = Path(tmp)
        train = data["train"] + data["oos_train"] + ((data["val"] + data["oos_val"]) if args.with_val else [])
        write_csv(folder / "train.csv", train)
        write_csv(folder / "test.csv", data["test"] + data["oos_test"])
        predictions = folder / "predictions.jsonl"
        command = [sys.executable, "-m", "mancrel", "ai", "eval", "--train", str(folder / "train.csv"),
                   "--test", str(folder / "test.csv"), "--threshold", str(args.threshold), "--oos-label", "oos",
                   "--json", "--predictions", str(predictions)]
        print(f"{len(train)} training rows; running: mancrel ai eval ... --oos-label oos --json", file=sys.stderr)
        done = subprocess.run(command, cwd=BACKEND, stdout=subprocess.PIPE, text=True, check=True)
        report = json.loads(done.stdout)
        reliability_plot(predictions, Path(args.plot), args.threshold)
    print(json.dumps(report))
    print(f"reliability plot: {args.plot}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
