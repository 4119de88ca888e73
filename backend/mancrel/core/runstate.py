"""What `mancrel run` tells the API about the processes it supervises.

The supervisor rewrites `<data dir>/run-state.json` whenever a process starts, exits or waits
to be restarted; `/api/v1/system/status` reads it. A file rather than Valkey: it must still
say so when Valkey itself is the process that died.
"""

import json
import os
from pathlib import Path

STATE_FILE = "run-state.json"


def write_state(data_dir: Path, state: dict) -> None:
    path = data_dir / STATE_FILE
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(state, default=str))
    partial.replace(path)  # readers never see half a file


def read_state(data_dir: Path) -> dict | None:
    """The state of the supervisor that is running now, or None (none, or one killed long ago)."""
    try:
        state = json.loads((data_dir / STATE_FILE).read_text())
        os.kill(int(state["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state
