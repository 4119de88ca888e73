import subprocess

import pytest
from sqlalchemy import text

# The table tests/worker/support_tasks.py writes its effects to (test-only, not a migration).
EFFECTS_DDL = """CREATE TABLE IF NOT EXISTS worker_test_effects (
    id bigserial PRIMARY KEY, key text NOT NULL, note text, created_at timestamptz NOT NULL DEFAULT now())"""


@pytest.fixture(scope="session")
async def effects_table(engine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(EFFECTS_DDL))


@pytest.fixture
async def effects(engine, effects_table):
    """Count the effects of test jobs by key; emptied after the test."""

    async def count(key: str) -> int:
        async with engine.connect() as conn:
            return (await conn.execute(text("SELECT count(*) FROM worker_test_effects WHERE key = :key"),
                                       {"key": key})).scalar_one()

    yield count
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM worker_test_effects"))


@pytest.fixture
def start_beat(servers, tmp_path):
    """Start a real `mancrel beat` (the outbox relay's scheduler) when the test says; stopped after."""
    processes: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        from tests.conftest import mancrel_command, worker_env

        with open(tmp_path / "beat.log", "ab") as out:
            process = subprocess.Popen(mancrel_command("beat"), stdout=out, stderr=subprocess.STDOUT,
                                       env=worker_env(servers, MANCREL_DATA_DIR=str(tmp_path / "beat")))
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=20)
