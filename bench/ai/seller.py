"""Quality on the product's own taxonomy: `mancrel ai eval` trained on the shipped examples and
scored on `seller_eval.csv`, an evaluation set written apart from them (SELLER_EVAL.md).

    ../../.venv/bin/python seller.py [--train FILE.csv] [--threshold 0.9]

`--train` defaults to the shipped file; pass an older copy (`git show REV:backend/mancrel/ai/data/intents.csv`)
to compare training data versions on the same test rows. Prints the eval's JSON line and the
rows most often confused, so a data change can be judged by what it fixes and breaks.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
BACKEND = HERE.parents[1] / "backend"
SHIPPED = BACKEND / "mancrel" / "ai" / "data" / "intents.csv"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", default=str(SHIPPED))
    parser.add_argument("--test", default=str(HERE / "seller_eval.csv"))
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mancrel-seller-") as tmp:
        predictions = Path(tmp) / "predictions.jsonl"
        command = [sys.executable, "-m", "mancrel", "ai", "eval", "--train", str(Path(args.train).resolve()),
                   "--test", str(Path(args.test).resolve()), "--threshold", str(args.threshold),
                   "--oos-label", "out_of_scope", "--json", "--predictions", str(predictions)]
        done = subprocess.run(command, cwd=BACKEND, stdout=subprocess.PIPE, text=True, check=True)
        rows = [json.loads(line) for line in predictions.read_text().splitlines()]
    print(done.stdout.strip())
    confused = Counter((r["label"], r["predicted"]) for r in rows if r["label"] != r["predicted"])
    print("most confused (true -> predicted: rows):", file=sys.stderr)
    for (truth, predicted), count in confused.most_common(8):
        print(f"  {truth} -> {predicted}: {count}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
