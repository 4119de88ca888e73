"""Near-duplicates of the training data in the seller evaluation set (issue #19, point 6).

    cd bench/ai && ../../.venv/bin/python seller_overlap.py [--threshold 0.88]

An evaluation row whose sentence vector (MiniLM, cosine) is within `--threshold` of a shipped
training example WITH THE SAME LABEL measures recall of that example, not generalisation. Prints
the evaluation rows that are (never the training text: whoever writes replacements must not see
it) and exits 1 when there are any.
"""

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "backend"))


def near_duplicates(threshold: float) -> list[tuple[int, str, str, float]]:
    from mancrel.ai import training_data
    from mancrel.ai.embeddings import get_embedder

    with (HERE / "seller_eval.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    shipped = training_data.shipped_rows()
    embedder = get_embedder()
    evaluation = embedder.embed([r["text"] for r in rows])
    training = embedder.embed([r.text for r in shipped])
    train_labels = np.array([r.label for r in shipped])
    found = []
    for i, row in enumerate(rows):
        same = train_labels == row["label"]
        best = float((training[same] @ evaluation[i]).max()) if same.any() else 0.0
        if best >= threshold:
            found.append((i, row["text"], row["label"], best))
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=0.88)
    args = parser.parse_args()
    found = near_duplicates(args.threshold)
    for i, text, label, cosine in found:
        print(f"row {i + 2} ({label}, cosine {cosine:.3f}): {text}")
    print(f"{len(found)} evaluation rows within cosine {args.threshold} of a same-label training example",
          file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
