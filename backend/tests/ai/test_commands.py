"""`mancrel ai train` and `mancrel ai eval`: files in, JSON out, no database needed."""

import csv
import json
import os
import subprocess
import sys

import numpy as np

from mancrel.ai import classifier, training_data
from mancrel.ai.classifier import IntentClassifier
from mancrel.ai.embeddings import get_embedder


def _write(path, rows, *, sentiment: bool = False):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label", "sentiment"] if sentiment else ["text", "label"])
        writer.writerows((r.text, r.label, r.sentiment) if sentiment else (r.text, r.label) for r in rows)


def _mancrel(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return subprocess.run([sys.executable, "-m", "mancrel", "ai", *args], capture_output=True, text=True,
                          env=env, timeout=600, check=False)


def test_eval_prints_one_json_line_with_every_figure(tmp_path):
    rows = training_data.shipped_rows()
    train_idx, test_idx = classifier.stratified_split(np.array([r.label for r in rows]), 0.25, seed=5)
    # Small files keep this subprocess quick (a fit's time grows with its rows): the command's
    # output is the point here; the shipped model's quality is test_classifier.py's.
    train_idx, test_idx = train_idx[::3], test_idx[::2]
    _write(tmp_path / "train.csv", [rows[i] for i in train_idx], sentiment=True)
    _write(tmp_path / "test.csv", [rows[i] for i in test_idx], sentiment=True)

    done = _mancrel("eval", "--train", str(tmp_path / "train.csv"), "--test", str(tmp_path / "test.csv"),
                    "--threshold", "0.9", "--oos-label", "out_of_scope", "--json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    for key in ("accuracy", "macro_f1", "ece", "coverage", "precision", "oos_recall", "oos_auto_rate"):
        assert 0.0 <= report[key] <= 1.0, key
    assert report["sentiment_accuracy"] >= 0.6  # both files have a sentiment column
    assert report["rows"] == len(test_idx) and report["accuracy"] > 0.6
    assert "embedded" in done.stderr and "calibrating" in done.stderr  # progress goes to stderr


def test_without_an_oos_label_the_report_has_no_oos_figures(shipped_model):
    model, _, rows = shipped_model
    sample = rows[::25]
    texts = [r.text for r in sample]
    predictions = model.predict(get_embedder().embed(texts, penultimate=True), texts)
    report = classifier.evaluate([r.label for r in sample], predictions)
    assert "oos_recall" not in report and "oos_auto_rate" not in report and report["rows"] == len(sample)


def test_train_writes_a_model_that_loads(tmp_path):
    rows = training_data.shipped_rows()[::4]  # a few hundred rows: the command, not the model, is tested
    _write(tmp_path / "data.csv", rows)
    done = _mancrel("train", "--data", str(tmp_path / "data.csv"), "--out", str(tmp_path / "model"))
    assert done.returncode == 0, done.stderr
    model = IntentClassifier.from_bytes((tmp_path / "model" / "model.npz").read_bytes())
    assert "shipping" in model.labels
    assert json.loads((tmp_path / "model" / "metrics.json").read_text())["training_rows"] == len(rows)


def test_a_file_without_the_header_is_refused(tmp_path):
    (tmp_path / "bad.csv").write_text("message,intent\nhi,other\n")
    done = _mancrel("eval", "--train", str(tmp_path / "bad.csv"), "--test", str(tmp_path / "bad.csv"), "--json")
    assert done.returncode != 0 and "text,label" in done.stderr
