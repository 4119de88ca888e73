from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.infrastructure.stack import Stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    """One `mancrel run` (demo data) behind nginx, scraped by Prometheus, for the whole session:
    starting it takes most of a minute."""
    running = Stack(Path(tmp_path_factory.mktemp("stack")))
    try:
        running.start_mancrel()
        running.start_nginx()
        running.start_prometheus()
        yield running
    finally:
        running.stop()
