"""Classification of email replies: the evaluation messages wrapped the way mail clients send
them (quoted history, signatures, disclaimers, forwards; `email_wrappers.json`, written apart from
the code that strips them), scored with and without `own_words`.

    cd bench/ai && ../../.venv/bin/python email_noise.py [--per-message 4]

Trains the product's model on the shipped examples (as a fresh installation does), then scores
`seller_eval.csv` three ways: the bare messages; the wrapped ones as the product reads them
(service.predict: own words only); and the wrapped ones read whole (what the product did before).
Each message is wrapped by `--per-message` templates, taken in turn, so every template is used.
"""

import argparse
import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "backend"))

from mancrel.ai import service, training_data  # noqa: E402
from mancrel.ai.embeddings import get_embedder  # noqa: E402
from mancrel.ai.own_words import own_words  # noqa: E402

GATE = 0.90
GREETING = 40


def scores(labels: list[str], intents: list[str], confidences: list[float]) -> str:
    right = [a == b for a, b in zip(labels, intents, strict=True)]
    sent = [c >= GATE for c in confidences]
    precision = sum(r for r, s in zip(right, sent, strict=True) if s) / max(1, sum(sent))
    return (f"accuracy {sum(right) / len(right):.1%}, coverage at {GATE} {sum(sent) / len(sent):.1%}, "
            f"precision there {precision:.1%}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-message", type=int, default=4)
    args = parser.parse_args()
    with (HERE / "seller_eval.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    wrappers = json.loads((HERE / "email_wrappers.json").read_text(encoding="utf-8"))
    model, _ = service.train_rows(training_data.shipped_rows())

    bare = service.predict(model, [r["text"] for r in rows])
    print(f"bare messages ({len(rows)}):", scores([r["label"] for r in rows], [p["intent"] for p in bare],
                                                 [p["confidence"] for p in bare]))
    wrapped, labels, clients = [], [], []
    for i, row in enumerate(rows):
        for k in range(args.per_message):
            wrapper = wrappers[(i * args.per_message + k) % len(wrappers)]
            wrapped.append(wrapper["template"].replace("{message}", row["text"]))
            labels.append(row["label"])
            clients.append(wrapper["client"])
    read = service.predict(model, wrapped)
    print(f"wrapped, own words ({len(wrapped)}):", scores(labels, [p["intent"] for p in read],
                                                         [p["confidence"] for p in read]))
    whole = model.predict(get_embedder().embed(wrapped, penultimate=True), wrapped)
    print(f"wrapped, read whole ({len(wrapped)}):", scores(labels, [p.label for p in whole],
                                                          [p.confidence for p in whole]))
    # Where the stripping went wrong: words of the customer's cut, or noise left (a greeting of up
    # to GREETING characters counts as the customer's).
    cut, noisy = {}, {}
    for i, text in enumerate(wrapped):
        message, kept = rows[i // args.per_message]["text"].strip(), own_words(text)
        if message not in kept:
            cut[clients[i]] = cut.get(clients[i], 0) + 1
        elif len(kept) - len(message) > GREETING:
            noisy[clients[i]] = noisy.get(clients[i], 0) + 1
    for name, counts in (("customer's words cut", cut), ("noise left", noisy)):
        print(f"{name}: {sum(counts.values())} of {len(wrapped)}")
        for client, count in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(f"  {count:4d}  {client}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
