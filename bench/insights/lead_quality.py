"""Lead-score quality on a time split: ROC AUC, Brier score and a reliability plot.

    .venv/bin/python bench/insights/lead_quality.py --contacts 20000

Starts an embedded PostgreSQL in a temporary folder, migrates, loads a generated history
(lead_history.py: two years whose outcomes follow their signals), then trains the lead-score
model as the nightly job would on the day of the split (cut dates up to 90 days before it, so
every label is known by then) and scores every contact worth scoring at monthly cut dates after
the split, against what happened in the 90 days after each. Baselines: the prior alone (no
history) and the stage's own win probability (what the pipeline settings already say).
Writes results/lead_quality.json and results/lead_reliability.png.
"""

import argparse
import asyncio
import json
import os
import secrets
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "backend"))
sys.path.insert(0, str(HERE))

SPLIT_BEFORE_END = timedelta(days=270)


def calibration(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict]:
    """Equal-count bins: mean predicted against observed rate, with the count in each."""
    order = np.argsort(p)
    out = []
    for chunk in np.array_split(order, bins):
        if len(chunk):
            out.append({"predicted": float(p[chunk].mean()), "observed": float(y[chunk].mean()), "n": len(chunk)})
    return out


def summary(name: str, p: np.ndarray, y: np.ndarray) -> dict:
    from mancrel.insights.lead_score import auc

    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    return {"name": name, "auc": auc(y, p), "brier": float(np.mean((p - y) ** 2)),
            "log_loss": float(-np.mean(y * np.log(clipped) + (1 - y) * np.log(1 - clipped))),
            "calibration": calibration(p, y)}


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfect")
    for r in results:
        xs = [b["predicted"] for b in r["calibration"]]
        ys = [b["observed"] for b in r["calibration"]]
        ax.plot(xs, ys, marker="o", label=f"{r['name']} (AUC {r['auc']:.3f})")
    ax.set_xlabel("predicted chance to win within 90 days")
    ax.set_ylabel("observed share that won")
    ax.set_title("Lead score reliability (time split, 10 equal-count bins)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


async def evaluate(contacts: int, seed: int) -> dict:
    import lead_history
    from sqlalchemy.ext.asyncio import AsyncSession

    from mancrel.core.db import get_engine
    from mancrel.insights import lead_score, leads
    from mancrel.insights.lead_score_features import HORIZON, signals_at, won_within_horizon
    from mancrel.user.models import User

    async with AsyncSession(get_engine(), expire_on_commit=False) as session:
        owner = User(email="rep@bench.example", password_hash="x",  # noqa: S106  (never logs in)
                     full_name="Bench Rep")
        session.add(owner)
        await session.commit()
        started = time.perf_counter()
        counts = await lead_history.load(session, contacts=contacts, seed=seed, owner_id=owner.id)
        load_s = time.perf_counter() - started
        split = lead_history.END - SPLIT_BEFORE_END
        started = time.perf_counter()
        model = await leads.train(session, now=split)
        train_s = time.perf_counter() - started
        await session.commit()
        prior = lead_score.prior_model()
        cut, rows, labels = split, [], []
        started = time.perf_counter()
        while cut + HORIZON <= lead_history.END:
            won = await won_within_horizon(session, cut)
            for raw in await signals_at(session, cut):
                rows.append(raw)
                labels.append(1 if raw["contact_id"] in won else 0)
            cut += timedelta(days=30)
        features_s = time.perf_counter() - started
    y = np.array(labels, dtype=float)
    results = [
        summary("learned model", np.array([model.probability(r) for r in rows]), y),
        summary("prior only", np.array([prior.probability(r) for r in rows]), y),
        summary("stage probability", np.array([(r["stage_probability"] or 0) / 100 for r in rows]), y),
    ]
    top = sorted(model.coefficients.items(), key=lambda kv: -abs(kv[1]))[:8]
    return {"contacts": contacts, "seed": seed, "rows_loaded": counts, "split": split.isoformat(),
            "train_rows": model.metrics["rows"], "train_positives": model.metrics["positives"],
            "test_rows": len(rows), "test_positive_rate": float(y.mean()), "seconds": {
                "load": round(load_s, 1), "train": round(train_s, 1), "test_features": round(features_s, 1)},
            "coefficients_top": top, "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default=str(HERE / "results"))
    args = parser.parse_args()

    from mancrel.core.embedded import EmbeddedPostgres
    from mancrel.core.migrate import upgrade_to_head

    with tempfile.TemporaryDirectory(prefix="mancrel-bench-leads-") as folder:
        postgres = EmbeddedPostgres(Path(folder) / "postgres")
        postgres.start()
        try:
            os.environ.update(DATABASE_URL=postgres.url, MANCREL_ENV="development", MANCREL_DEMO="0",
                              MANCREL_SECRET_KEY=secrets.token_urlsafe(48), MANCREL_LOG_LEVEL="WARNING")
            upgrade_to_head(postgres.url)
            report = asyncio.run(evaluate(args.contacts, args.seed))
        finally:
            postgres.stop()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "lead_quality.json").write_text(json.dumps(report, indent=2, default=str))
    plot(report["results"], out / "lead_reliability.png")
    for r in report["results"]:
        print(f"{r['name']:18} AUC {r['auc']:.3f}  Brier {r['brier']:.4f}  log loss {r['log_loss']:.4f}")
    print(f"train rows {report['train_rows']} ({report['train_positives']} won), test rows {report['test_rows']} "
          f"(positive rate {report['test_positive_rate']:.3f}); seconds {report['seconds']}")


if __name__ == "__main__":
    main()
