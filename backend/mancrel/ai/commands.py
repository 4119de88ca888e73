"""`mancrel ai reindex|train|eval`."""

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path


def _progress(message: str) -> None:
    print(f"[ai] {message}", file=sys.stderr, flush=True)


def _train_file(path: str, progress=_progress, oos_label: str | None = None):
    import numpy as np

    from mancrel.ai import classifier, service, training_data

    rows = training_data.read_csv(path)
    progress(f"read {len(rows)} rows from {path}; embedding")
    started = time.monotonic()
    texts, vectors = service.read([r.text for r in rows], progress)
    progress(f"embedded in {time.monotonic() - started:.1f}s; training")
    sentiments = [r.sentiment for r in rows] if any(r.sentiment for r in rows) else None
    model, report = classifier.train(vectors, [r.label for r in rows], texts=texts, oos_label=oos_label,
                                     sentiments=sentiments, weights=np.ones(len(rows)), progress=progress)
    return model, report, len(rows)


def _train(args: argparse.Namespace) -> int:
    from mancrel.ai.taxonomy import OUT_OF_SCOPE

    model, report, n = _train_file(args.data, oos_label=args.oos_label or OUT_OF_SCOPE)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.npz").write_bytes(model.to_bytes())
    (out / "metrics.json").write_text(json.dumps({"training_rows": n, "held_out": report}, indent=2))
    _progress(f"wrote {out / 'model.npz'} and {out / 'metrics.json'}")
    print(json.dumps(report))
    return 0


def _eval(args: argparse.Namespace) -> int:
    """Train a fresh model of the product's kind on --train, score it on --test."""
    from mancrel.ai import classifier, service, training_data

    model, _held_out, _ = _train_file(args.train, oos_label=args.oos_label)
    test = training_data.read_csv(args.test)
    _progress(f"scoring {len(test)} test rows")
    texts, vectors = service.read([r.text for r in test], _progress)
    predictions = model.predict(vectors, texts)
    report = classifier.evaluate([r.label for r in test], predictions, threshold=args.threshold,
                                 oos_label=args.oos_label)
    graded = [(row.sentiment, p.sentiment) for row, p in zip(test, predictions, strict=True)
              if row.sentiment and p.sentiment]
    if graded:  # both files carry a sentiment column: the model learnt it and the test grades it
        report["sentiment_accuracy"] = sum(truth == said for truth, said in graded) / len(graded)
    if args.predictions:  # for reliability plots: one row per test message
        with open(args.predictions, "w", encoding="utf-8") as handle:
            for row, p in zip(test, predictions, strict=True):
                handle.write(json.dumps({"label": row.label, "predicted": p.label, "confidence": p.confidence,
                                         "out_of_scope": p.out_of_scope}) + "\n")
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key:>18}: {value}")
    return 0


async def _reindex_all(types: list[str]) -> dict[str, int]:
    from mancrel.ai import indexing, repository
    from mancrel.core.db import dispose_engine, unit_of_work

    indexers = indexing.INDEXERS
    counts: dict[str, int] = {}
    try:
        for entity_type in types:
            async with unit_of_work() as session:
                # Records that no longer exist are dropped too (their id is only in the index).
                ids = set(await repository.record_ids(session, entity_type))
                ids |= set(await repository.indexed_ids(session, entity_type))
            indexed = 0
            for n, record_id in enumerate(sorted(ids), start=1):
                async with unit_of_work() as session:  # one short transaction per record
                    indexed += await indexers[entity_type](session, record_id)
                if n % 200 == 0:
                    _progress(f"{entity_type}: {n}/{len(ids)}")
            counts[entity_type] = indexed
            _progress(f"{entity_type}: {indexed} indexed")
    finally:
        await dispose_engine()
    return counts


def _reindex(args: argparse.Namespace) -> int:
    types = [t.strip() for t in args.types.split(",") if t.strip()]
    print(json.dumps(asyncio.run(_reindex_all(types))))
    return 0


def _reporting_bad_files(handler):
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (OSError, ValueError) as exc:  # a missing file or a wrong header: say so, no traceback
            print(f"mancrel ai: {exc}", file=sys.stderr)
            return 2
    return run


def register(subparsers: argparse._SubParsersAction) -> None:
    ai = subparsers.add_parser("ai", help="embeddings, search index and the intent classifier")
    commands = ai.add_subparsers(dest="ai_command", required=True)

    reindex = commands.add_parser("reindex", help="rebuild the search documents and vectors of every record")
    reindex.add_argument("--types", default="product,contact,company,deal")
    reindex.set_defaults(handler=_reindex)

    train = commands.add_parser("train", help="train an intent model from a text,label CSV")
    train.add_argument("--data", required=True)
    train.add_argument("--out", default="ai-model")
    train.add_argument("--oos-label", help="the out-of-scope label (default: out_of_scope)")
    train.set_defaults(handler=_reporting_bad_files(_train))

    evaluate = commands.add_parser("eval", help="train on one CSV, evaluate on another; needs no database")
    evaluate.add_argument("--train", required=True)
    evaluate.add_argument("--test", required=True)
    evaluate.add_argument("--threshold", type=float, default=0.9)
    evaluate.add_argument("--oos-label")
    evaluate.add_argument("--json", action="store_true", help="print one JSON line")
    evaluate.add_argument("--predictions", help="also write per-row predictions (JSON lines) here")
    evaluate.set_defaults(handler=_reporting_bad_files(_eval))
