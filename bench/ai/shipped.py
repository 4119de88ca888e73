"""The shipped model's own calibration figures, per top-end setting (issue #19).

    cd bench/ai && ../../.venv/bin/python shipped.py

The product's examples (`backend/mancrel/ai/data/intents.csv`) are what the serving model learns
from; nothing else measures the number the reply gate trusts on the product's own intents. Two
readings, each for the setting before the third attempt and the product's current one:
- out of fold: what `mancrel ai train` reports and a retrain is accepted or refused on (heads out
  of fold, calibration cross-validated over those rows: no fitting step saw a row it is judged on);
- a held-out split: trained on 70% (stratified, seed 11: the split of
  `tests/ai/test_classifier.py`), scored on the 30% no fitting step saw.
The heads are fitted once per reading; the settings differ only in calibration.
"""

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "backend"))

SHOWN = ("rows", "accuracy", "ece", "precision", "coverage", "oos_auto_rate")


def main() -> int:
    from mancrel.ai import classifier, service, taxonomy, training_data
    from mancrel.ai.top_end import TopEnd

    settings = {"second attempt (0.992 keep, point estimate)": TopEnd(0.992, "keep", 0.88, bound=0.0, near=0.0),
                f"product now {classifier.DEFAULT_TOP_END.as_meta()}": classifier.DEFAULT_TOP_END}
    rows = training_data.shipped_rows()
    labels = np.array([r.label for r in rows])
    texts, vectors = service.read([r.text for r in rows])
    oos = taxonomy.OUT_OF_SCOPE

    fitted = classifier.cross_fit(vectors, list(labels), texts=texts, oos_label=oos, served_head=False,
                                  weights=np.array([r.weight for r in rows]),
                                  pinned=np.array([r.pinned for r in rows]))
    for name, (_, report) in zip(settings, classifier.calibrated_settings(fitted, list(settings.values()),
                                                                          assess=True), strict=True):
        print(f"out of fold, {name}: {json.dumps({k: round(report[k], 4) for k in SHOWN})}", flush=True)

    fit, held = classifier.stratified_split(labels, 0.3, seed=11)
    split = classifier.cross_fit(vectors[fit], list(labels[fit]), texts=[texts[i] for i in fit], oos_label=oos)
    for name, top in settings.items():
        model, _ = classifier.calibrated(split, top)
        report = classifier.evaluate(list(labels[held]), model.predict(vectors[held], [texts[i] for i in held]),
                                     oos_label=oos)
        print(f"held-out 30%, {name}: {json.dumps({k: round(report[k], 4) for k in SHOWN})}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
