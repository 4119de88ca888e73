"""In-process throughput of the batch path on email-length texts (issue #19, point 3).

    cd bench/ai && ../../.venv/bin/python batch_throughput.py [--batches 1,16,64] [--per-message 4] [--rounds 2]

The 260 `seller_eval.csv` messages are wrapped as emails (`email_wrappers.json`, as in
`email_noise.py`: quoted history, signatures, disclaimers): 1,040 emails. The product's model is
trained on the shipped examples, then `service.predict` (what `classify_many` runs: own words,
one batched forward pass sorted by length, heads, calibration, language) classifies them in
batches of each size. The worker's path adds one database flush per batch (`classify_many`); the
lead measures that through a real worker. Reported: messages per second, best of `--rounds`.
"""

import argparse
import csv
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "backend"))


def emails(per_message: int) -> list[str]:
    with (HERE / "seller_eval.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    wrappers = json.loads((HERE / "email_wrappers.json").read_text(encoding="utf-8"))
    return [wrappers[(i * per_message + k) % len(wrappers)]["template"].replace("{message}", row["text"])
            for i, row in enumerate(rows) for k in range(per_message)]


def main() -> int:
    from mancrel.ai import service, training_data
    from mancrel.ai.embeddings import get_embedder
    from mancrel.ai.own_words import own_words

    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", default="1,16,64")
    parser.add_argument("--per-message", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    texts = emails(args.per_message)
    tokenizer = get_embedder().tokenizer
    read = [own_words(t) for t in texts]
    whole = sum(len(e.ids) for e in tokenizer.encode_batch(texts)) / len(texts)
    kept = sum(len(e.ids) for e in tokenizer.encode_batch(read)) / len(texts)
    print(f"{len(texts)} emails, {sum(map(len, texts)) / len(texts):.0f} characters and {whole:.1f} tokens "
          f"on average; {kept:.1f} tokens of the customer's own words", file=sys.stderr)
    model, _ = service.train_rows(training_data.shipped_rows())
    service.predict(model, texts[:64])  # warm-up: sessions, caches
    print("| batch size | msg/s (best of rounds) | rounds |\n|---:|---:|---|")
    for size in [int(s) for s in args.batches.split(",")]:
        rates = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            for start in range(0, len(texts), size):
                service.predict(model, texts[start:start + size])
            rates.append(len(texts) / (time.perf_counter() - started))
        print(f"| {size} | {max(rates):.0f} | {', '.join(f'{r:.0f}' for r in rates)} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
