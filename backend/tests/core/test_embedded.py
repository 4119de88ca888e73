"""The embedded servers: PostgreSQL keeps what it had cached across a restart (autoprewarm);
Valkey is stopped even when it is too busy to answer."""

import os
import signal
import threading
import time

import psycopg

from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey


def _buffered_pages(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_buffercache")
        return conn.execute("SELECT count(*) FROM pg_buffercache b JOIN pg_class c ON b.relfilenode = "
                            "pg_relation_filenode(c.oid) WHERE c.relname = 'warm_rows'").fetchone()[0]


def test_a_restart_reloads_the_pages_that_were_cached(tmp_path):
    postgres = EmbeddedPostgres(tmp_path / "pg")
    postgres.start()
    try:
        with psycopg.connect(postgres.url, autocommit=True) as conn:
            conn.execute("CREATE TABLE warm_rows AS SELECT g AS n, repeat('x', 200) AS filler "
                         "FROM generate_series(1, 20000) AS g")
            conn.execute("SELECT count(*) FROM warm_rows").fetchone()
        cached = _buffered_pages(postgres.url)
        assert cached > 100
        postgres.stop()
        assert (postgres.pgdata / "autoprewarm.blocks").exists()  # the list written at shutdown
        postgres.start()
        for _ in range(100):  # the autoprewarm worker reloads in the background
            if not postgres.prewarming() and _buffered_pages(postgres.url) >= cached:
                break
            time.sleep(0.1)
        assert _buffered_pages(postgres.url) >= cached
    finally:
        postgres.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_valkey_too_busy_to_answer_is_still_stopped(tmp_path):
    valkey = EmbeddedValkey(tmp_path / "valkey")
    valkey.start()
    pid = valkey.pid
    os.kill(pid, signal.SIGSTOP)  # answers nothing, as under a heavy load
    resume = threading.Timer(2.0, os.kill, (pid, signal.SIGCONT))
    resume.start()
    try:
        valkey.stop()
        stopped = not _alive(pid)
    finally:
        resume.join()
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    assert stopped, "Valkey was left running"
