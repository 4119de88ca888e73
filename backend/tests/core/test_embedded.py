"""The embedded PostgreSQL keeps what it had cached across a restart (autoprewarm)."""

import time

import psycopg

from mancrel.core.embedded import EmbeddedPostgres


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
