"""`mancrel doctor` against the real embedded servers: all well with a worker and beat running;
a stopped worker, a missing migration or a failing channel each named, with the fix, and exit 1."""

import re
import subprocess
import time

import psycopg
import pytest
import redis
from alembic.script import ScriptDirectory

from mancrel.core.migrate import alembic_config
from mancrel.worker.heartbeat import BEAT_KEY
from tests.channel.factories import make_channel
from tests.conftest import mancrel_command, worker_env
from tests.infrastructure.test_backup import _create_database


def _env(servers, **env: str) -> dict[str, str]:
    return {**worker_env(servers), **env}


def _doctor(servers, tmp_path, **env: str) -> tuple[int, dict[str, str], str]:
    done = subprocess.run(mancrel_command("doctor"), env=_env(servers, MANCREL_DATA_DIR=str(tmp_path), **env),
                          capture_output=True, text=True, timeout=120)
    lines = {m["name"]: m["status"] for m in re.finditer(r"^(?P<status>OK|WARN|FAIL)\s+(?P<name>\S+(?: \S+)?)\s{2}",
                                                         done.stdout, re.MULTILINE)}
    return done.returncode, lines, done.stdout + done.stderr


@pytest.fixture
def beat(servers, tmp_path):
    """A real `mancrel beat`, until it has sent its first outbox relay."""
    log = (tmp_path / "beat.log").open("wb")
    process = subprocess.Popen(mancrel_command("beat"), env=worker_env(servers, MANCREL_DATA_DIR=str(tmp_path)),
                               stdout=log, stderr=subprocess.STDOUT)
    client = redis.Redis.from_url(servers["valkey"].url)
    try:
        deadline = time.monotonic() + 60
        while not client.hget(BEAT_KEY, "outbox-relay"):
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "beat.log").read_text()
            time.sleep(0.2)
        yield process
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_a_healthy_installation_passes(servers, celery_worker, beat, tmp_path):
    code, lines, output = _doctor(servers, tmp_path)
    assert code == 0, output
    for name in ("configuration", "database", "migrations", "redis", "workers", "beat", "channels",
                 "disk", "model files"):
        assert lines[name] == "OK", output
    assert lines["queues"] in ("OK", "WARN") and "catalogue sources" in lines, output


def test_no_worker_running_fails_with_how_to_start_one(servers, tmp_path):
    code, lines, output = _doctor(servers, tmp_path)
    assert code == 1
    assert lines["workers"] == "FAIL" and lines["database"] == "OK", output
    assert "no worker has sent a heartbeat" in output and "systemctl start mancrel-worker" in output


def test_a_missing_migration_is_named_with_mancrel_migrate(servers, tmp_path):
    url = _create_database(servers, "doctor_behind")
    migrated = subprocess.run(mancrel_command("migrate"), env=_env(servers, DATABASE_URL=url),
                              capture_output=True, text=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    # One release behind: the newest migration's row set back to the one before it.
    scripts = ScriptDirectory.from_config(alembic_config())
    with psycopg.connect(url, autocommit=True) as conn:
        head = next(r[0] for r in conn.execute("select version_num from alembic_version")
                    if isinstance(scripts.get_revision(r[0]).down_revision, str))
        conn.execute("update alembic_version set version_num = %s where version_num = %s",
                     (scripts.get_revision(head).down_revision, head))
    code, lines, output = _doctor(servers, tmp_path, DATABASE_URL=url)
    assert code == 1 and lines["migrations"] == "FAIL", output
    assert f"not applied: {head}" in output and "run `mancrel migrate`" in output


async def test_a_failing_channel_is_named_with_its_error(servers, committed_db, tmp_path):
    channel = await make_channel(committed_db, name="Doctor's mailbox")
    channel.last_error, channel.last_error_at = "IMAP poll failed: authentication failed", channel.created_at
    await committed_db.commit()
    code, lines, output = _doctor(servers, tmp_path)
    assert code == 1 and lines["channels"] == "FAIL", output
    assert "Doctor's mailbox: IMAP poll failed: authentication failed" in output


def test_no_database_anywhere_says_where_it_looked(servers, tmp_path):
    env = worker_env(servers, MANCREL_DATA_DIR=str(tmp_path / "nothing-here"))
    del env["DATABASE_URL"]
    done = subprocess.run(mancrel_command("doctor"), env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "FAIL  database" in done.stdout and "no embedded database runs in" in done.stdout
