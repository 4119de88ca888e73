"""The embedded servers: PostgreSQL keeps what it had cached across a restart (autoprewarm);
Valkey is stopped even when it is too busy to answer; both ask for a password generated on
first start and listen on loopback only."""

import os
import signal
import stat
import threading
import time

import psycopg
import redis

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


# -- credentials (issue 24, point 6): nobody else on the machine gets in --------------------------

def _refused(connect) -> bool:
    try:
        connect()
    except Exception:
        return True
    return False


def test_postgres_asks_everyone_for_its_generated_password(tmp_path):
    postgres = EmbeddedPostgres(tmp_path / "pg")
    postgres.start()
    try:
        password_file = tmp_path / "pg" / "password"
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
        assert postgres.password and postgres.password in postgres.url
        base = f"postgresql://postgres@127.0.0.1:{postgres.port}/mancrel"
        assert _refused(lambda: psycopg.connect(base, connect_timeout=5).close())
        assert _refused(lambda: psycopg.connect(base, password="guess", connect_timeout=5).close())
        socket_dir = tmp_path / "pg" / "sock"  # the Unix socket is no back door either
        assert _refused(lambda: psycopg.connect(f"postgresql://postgres@/mancrel?host={socket_dir}",
                                                connect_timeout=5).close())
        with psycopg.connect(postgres.url, autocommit=True) as conn:
            assert conn.execute("SHOW listen_addresses").fetchone()[0] == "127.0.0.1"
    finally:
        postgres.stop()
    postgres.start()  # the same password on the next start
    try:
        with psycopg.connect(postgres.url, autocommit=True) as conn:
            assert conn.execute("SELECT 1").fetchone()[0] == 1
    finally:
        postgres.stop()


def test_a_data_folder_made_without_a_password_gets_one(tmp_path):
    postgres = EmbeddedPostgres(tmp_path / "pg")
    postgres.data_dir.mkdir(parents=True)
    postgres.pgdata.mkdir(mode=0o700)
    postgres.socket_dir.mkdir()
    postgres.password_file.write_text("unused")
    if os.geteuid() == 0:
        postgres._prepare_permissions()
    postgres.password_file.unlink()
    # As the embedded server was set up before passwords: anyone on the machine could log in.
    postgres._run("initdb", "-D", str(postgres.pgdata), "-U", "postgres", "--auth=trust", "--no-instructions")
    postgres.start()
    try:
        base = f"postgresql://postgres@127.0.0.1:{postgres.port}/mancrel"
        assert _refused(lambda: psycopg.connect(base, connect_timeout=5).close())
        with psycopg.connect(postgres.url, autocommit=True) as conn:
            assert conn.execute("SELECT current_user").fetchone()[0] == "postgres"
    finally:
        postgres.stop()


def test_valkey_asks_for_its_generated_password_and_listens_on_loopback(tmp_path):
    valkey = EmbeddedValkey(tmp_path / "valkey")
    valkey.start()
    try:
        assert stat.S_IMODE((tmp_path / "valkey" / "password").stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "valkey").stat().st_mode) == 0o700  # its config names the password
        anonymous = redis.Redis(host="127.0.0.1", port=valkey.port, socket_timeout=5)
        assert _refused(anonymous.ping)
        assert _refused(lambda: anonymous.set("k", "v"))
        anonymous.close()
        client = redis.Redis.from_url(valkey.url, decode_responses=True)
        assert client.ping()
        assert client.config_get("bind")["bind"] == "127.0.0.1"
        assert client.config_get("protected-mode")["protected-mode"] == "yes"
        client.close()
    finally:
        valkey.stop()


def test_a_valkey_left_by_a_killed_run_is_stopped_by_the_next_start(tmp_path):
    orphan = EmbeddedValkey(tmp_path / "valkey")
    orphan.start()
    left_pid = orphan.pid
    orphan.server._process = None  # as if the run that started it had been killed
    again = EmbeddedValkey(tmp_path / "valkey")
    again.start()
    try:
        deadline = time.monotonic() + 10
        while _alive(left_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(left_pid), "the Valkey of the killed run is still running"
        assert redis.Redis.from_url(again.url).ping()
    finally:
        again.stop()
        if _alive(left_pid):
            os.kill(left_pid, signal.SIGKILL)
