"""`mancrel backup` / `mancrel restore` and the scripts that call them (infrastructure/scripts):
a backup of a database in use, restored into an empty one, gives back every row, with an
external database and with the embedded one; retention keeps the newest N; a database that
already has tables is refused."""

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
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


def _mancrel(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(mancrel_command(*args), env=env, capture_output=True, text=True, timeout=300)


def test_the_embedded_database_is_backed_up_and_restored_too(servers, source_db, tmp_path):
    """No DATABASE_URL: the commands use the embedded database of MANCREL_DATA_DIR, starting it for
    the command when no `mancrel run` has it up."""
    before = _contents(source_db)
    external = _mancrel("backup", "--dir", str(tmp_path / "external"), env=_env(servers, source_db, tmp_path))
    assert external.returncode == 0, external.stderr
    dump = Path(external.stdout.strip())

    embedded = {k: v for k, v in _env(servers, source_db, tmp_path).items() if k != "DATABASE_URL"}
    # Under the test servers' root: the embedded PostgreSQL runs as its own system user when we
    # are root, and pytest's tmp_path sits in a folder only root may enter.
    data = servers["root"] / f"backup-embedded-{uuid.uuid4().hex[:8]}"
    embedded["MANCREL_DATA_DIR"] = str(data)
    restored = _mancrel("restore", str(dump), env=embedded)  # a new data folder: initdb, restore, migrate
    assert restored.returncode == 0, restored.stderr
    assert "latest migration" in restored.stdout

    again = _mancrel("backup", "--dir", str(tmp_path / "embedded"), env=embedded)
    assert again.returncode == 0, again.stderr
    round_trip = _create_database(servers, "backup_round_trip")
    back = _mancrel("restore", again.stdout.strip(), env=_env(servers, round_trip, tmp_path))
    assert back.returncode == 0, back.stderr
    assert _contents(round_trip) == before
    # The embedded server was started for each command and stopped after it.
    assert not (data / "postgres/pgdata/postmaster.pid").exists()
    shutil.rmtree(data)


def test_a_dump_made_with_another_secret_key_restores_with_a_warning(servers, source_db, tmp_path):
    made = _mancrel("backup", "--dir", str(tmp_path), env=_env(servers, source_db, tmp_path))
    assert made.returncode == 0, made.stderr
    target = _create_database(servers, "backup_other_key")
    other = _env(servers, target, tmp_path, MANCREL_SECRET_KEY="another-secret-key-of-at-least-32-characters")
    restored = _mancrel("restore", made.stdout.strip(), env=other)
    assert restored.returncode == 0, restored.stderr
    assert "made with another secret key" in restored.stderr


def test_a_failed_dump_says_why_and_leaves_no_file(servers, tmp_path):
    missing = servers["postgres"].url_for("no_such_database")
    failed = _mancrel("backup", "--dir", str(tmp_path / "dumps"), env=_env(servers, missing, tmp_path))
    assert failed.returncode == 1
    assert "pg_dump failed" in failed.stderr and "no_such_database" in failed.stderr
    assert list((tmp_path / "dumps").iterdir()) == []
