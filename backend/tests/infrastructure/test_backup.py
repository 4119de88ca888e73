"""infrastructure/scripts/backup.sh and restore.sh: a backup of a database in use, restored
into an empty one, gives back every row; retention keeps the newest N; a database that
already has tables is refused."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import mancrel_command, worker_env
from tests.infrastructure.tools import INFRA

SCRIPTS = INFRA / "scripts"


def _create_database(servers: dict, name: str) -> str:
    with psycopg.connect(servers["postgres"].url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return servers["postgres"].url_for(name)


def _contents(url: str) -> dict[str, tuple[int, str]]:
    """Every public table: its row count and a digest of all its rows (in a stable order)."""
    found = {}
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute("select tablename from pg_tables where schemaname = 'public'")]
        for table in tables:
            rows = sorted(r[0] for r in conn.execute(f'select t::text from "{table}" t'))  # noqa: S608 (names from pg_tables)
            found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found


def _script(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPTS / name), *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def source_db(servers) -> str:
    """A database with the migrations and the demo data (contacts, deals, catalogue, inbox)."""
    url = _create_database(servers, "backup_source")
    env = {**worker_env(servers), "DATABASE_URL": url}
    for command in (("migrate",), ("seed",)):
        done = subprocess.run(mancrel_command(*command), env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
    return url


def _env(servers: dict, url: str, backups: Path, **extra: str) -> dict[str, str]:
    env = {**worker_env(servers), "DATABASE_URL": url, "MANCREL_ENV_FILE": "/nonexistent",
           "MANCREL_PYTHON": sys.executable, "MANCREL_BACKUP_DIR": str(backups), **extra}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # `mancrel migrate` after a restore
    return env


def test_backup_then_restore_into_an_empty_database_brings_every_row_back(servers, source_db, tmp_path):
    before = _contents(source_db)
    assert before["contacts"][0] > 0 and before["products"][0] > 0 and before["alembic_version"][0] >= 1

    made = _script("backup.sh", env=_env(servers, source_db, tmp_path))
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    assert dump.is_file() and dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    secret = os.environ["MANCREL_SECRET_KEY"]
    meta = Path(f"{dump}.meta").read_text()
    assert f"secret_key_sha256={hashlib.sha256(secret.encode()).hexdigest()[:16]}" in meta
    assert secret not in meta

    target = _create_database(servers, "backup_target")
    restored = _script("restore.sh", str(dump), env=_env(servers, target, tmp_path))
    assert restored.returncode == 0, restored.stderr
    assert _contents(target) == before

    # A second restore onto the now full database is refused and changes nothing.
    again = _script("restore.sh", str(dump), env=_env(servers, target, tmp_path))
    assert again.returncode != 0 and "restore into an empty database" in again.stderr
    assert _contents(target) == before


def test_retention_keeps_the_newest_backups(servers, tmp_path):
    url = servers["postgres"].url
    for name in ("mancrel-20200101T000000Z.dump", "mancrel-20200102T000000Z.dump", "unrelated.txt"):
        (tmp_path / name).write_text("old")
        if name.endswith(".dump"):
            (tmp_path / f"{name}.meta").write_text("old")
    made = _script("backup.sh", "--keep", "2", env=_env(servers, url, tmp_path))
    assert made.returncode == 0, made.stderr
    kept = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".dump"))
    assert kept == ["mancrel-20200102T000000Z.dump", Path(made.stdout.strip()).name]
    assert not (tmp_path / "mancrel-20200101T000000Z.dump.meta").exists()
    assert (tmp_path / "unrelated.txt").exists()
