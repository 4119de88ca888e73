"""The labelled messages the classifier learns from: the shipped CSV plus what admins added."""

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

SHIPPED = "intents.csv"
CORRECTION_WEIGHT = 3.0  # a human correction outweighs one written example


@dataclass
class Row:
    text: str
    label: str
    sentiment: str | None = None
    weight: float = 1.0
    pinned: bool = False  # always trained on, never held out


def read_csv(path: str | Path) -> list[Row]:
    """Rows of a `text,label[,sentiment]` file; blank texts are skipped."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: the header must have text,label columns")
        return [Row(r["text"].strip(), r["label"].strip(), (r.get("sentiment") or "").strip() or None)
                for r in reader if (r.get("text") or "").strip()]


def shipped_rows() -> list[Row]:
    with resources.as_file(resources.files("mancrel.ai") / "data" / SHIPPED) as path:
        return read_csv(path)


def merge(base: list[Row], added: list[Row]) -> list[Row]:
    """`added` rows replace base rows of the same text (a relabel wins over the shipped label)."""
    replaced = {r.text.casefold() for r in added}
    return [r for r in base if r.text.casefold() not in replaced] + added
