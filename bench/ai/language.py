"""Language detection on customer messages: how many foreign ones are caught (and handed to a
human) and how many English ones are wrongly flagged, on `language_eval.csv`.

    cd bench/ai && ../../.venv/bin/python language.py

Prints the two rates, every miss (foreign called English) and false flag (English called
foreign), and the mean time per message after a warm-up that loads the model. Each message is read
as the product reads it: its own words (`own_words`: no signature or quoted history), then detected.
"""

import csv
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BACKEND = HERE.parents[1] / "backend"
sys.path.insert(0, str(BACKEND))

from mancrel.ai import language  # noqa: E402
from mancrel.ai.embeddings import get_embedder  # noqa: E402
from mancrel.ai.own_words import own_words  # noqa: E402


def main() -> int:
    with (HERE / "language_eval.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    vocabulary = get_embedder().words
    language._identifier()  # warm-up: loads the langid model
    timings, results = [], []
    for row in rows:
        start = time.perf_counter()
        detected = language.detect(own_words(row["text"]), vocabulary)
        timings.append(time.perf_counter() - start)
        results.append((row["text"], row["language"], detected))
    foreign = [r for r in results if r[1] != "en"]
    english = [r for r in results if r[1] == "en"]
    caught = [r for r in foreign if r[2] != "en"]
    exact = [r for r in caught if r[2] == r[1]]
    misses = [r for r in foreign if r[2] == "en"]
    flagged = [r for r in english if r[2] != "en"]
    print(f"foreign caught: {len(caught)}/{len(foreign)} ({len(caught) / len(foreign):.1%}), "
          f"exact language: {len(exact)}/{len(caught)}")
    print(f"English wrongly flagged: {len(flagged)}/{len(english)} ({len(flagged) / len(english):.1%})")
    print(f"detection time: {1000 * sum(timings) / len(timings):.3f} ms per message (mean of {len(timings)})")
    print(f"\nmisses (foreign called English): {len(misses)}")
    for text, truth, _ in misses:
        print(f"  [{truth}] {text!r}")
    print(f"\nfalse flags (English called foreign): {len(flagged)}")
    for text, _, detected in flagged:
        print(f"  [-> {detected}] {text!r}")
    wrong = [r for r in caught if r[2] != r[1]]
    if wrong:
        print(f"\ncaught with the wrong language: {len(wrong)}")
        for text, truth, detected in wrong:
            print(f"  [{truth} -> {detected}] {text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
