"""Logs of `mancrel run`: files rotate, the console gets warnings in a human format (all lines
with MANCREL_LOG_CONSOLE=all), beat's routine is DEBUG, `mancrel logs -f` follows a rotation."""

import io
import json
import logging
import threading
import time

from mancrel.core.logfiles import ProcessOutput, RotatingFile, print_log, rotate_copytruncate
from mancrel.core.logging import JsonFormatter, configure_logging


def _entry(level: str, message: str) -> str:
    return json.dumps({"time": "2026-12-05T10:00:00+00:00", "level": level, "logger": "mancrel.x",
                       "message": message}) + "\n"


def test_a_log_past_its_size_rotates_and_keeps_a_bounded_number_of_old_files(tmp_path):
    log = RotatingFile(tmp_path / "worker.log", max_bytes=100, backups=2)
    for number in range(12):
        log.write(f"line {number:02d} " + "x" * 30 + "\n")  # 39 bytes: two lines per file
    log.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["worker.log", "worker.log.1", "worker.log.2"]
    assert (tmp_path / "worker.log").read_text().startswith("line 10")
    assert (tmp_path / "worker.log.1").read_text().startswith("line 08")
    assert all(p.stat().st_size <= 100 for p in tmp_path.iterdir())


def test_a_server_log_held_open_for_appending_is_rotated_in_place(tmp_path):
    path = tmp_path / "postgres.log"
    with open(path, "a") as server:  # held open for appending, as pg_ctl -l and Valkey hold theirs
        server.write("old\n" * 50)
        server.flush()
        assert rotate_copytruncate(path, max_bytes=100)
        server.write("new\n")
        server.flush()
    assert path.read_text() == "new\n"  # written at the new end, no hole of old bytes
    assert (tmp_path / "postgres.log.1").read_text() == "old\n" * 50
    assert not rotate_copytruncate(path, max_bytes=100)  # small enough: left alone


def test_the_console_gets_warnings_in_a_human_format_and_the_file_gets_everything(tmp_path, monkeypatch):
    monkeypatch.delenv("MANCREL_LOG_CONSOLE", raising=False)
    shown: list[str] = []
    output = ProcessOutput("worker", RotatingFile(tmp_path / "worker.log"), shown.append)
    output.handle(_entry("INFO", "Task ai.embed_contact[1] received"), is_stderr=True)
    output.handle(_entry("WARNING", "worker heartbeat failed"), is_stderr=True)
    output.handle(" -------------- mancrel@vm v5.7.0 (banner)\n", is_stderr=False)
    output.handle("Traceback (most recent call last):\n", is_stderr=True)
    output.log.close()
    assert len(shown) == 2
    assert shown[0].endswith("worker WARNING mancrel.x: worker heartbeat failed")
    assert "{" not in shown[0]  # not JSON
    assert shown[1] == "worker | Traceback (most recent call last):"
    written = (tmp_path / "worker.log").read_text()
    assert "received" in written and "banner" in written and "heartbeat failed" in written


def test_log_console_all_shows_every_line(tmp_path, monkeypatch):
    monkeypatch.setenv("MANCREL_LOG_CONSOLE", "all")
    shown: list[str] = []
    output = ProcessOutput("api", RotatingFile(tmp_path / "api.log"), shown.append)
    output.handle(_entry("INFO", "GET /readyz 200"), is_stderr=True)
    output.log.close()
    assert shown and shown[0].endswith("api    INFO    mancrel.x: GET /readyz 200")


def test_beats_routine_lines_are_debug():
    stream = io.StringIO()
    configure_logging("INFO")
    root = logging.getLogger()
    try:
        root.handlers[0].stream = stream
        beat = logging.getLogger("celery.beat")
        beat.info("Scheduler: Sending due task %s (%s)", "outbox-relay", "outbox.relay")
        beat.info("beat: Starting...")
        assert [json.loads(line)["message"] for line in stream.getvalue().splitlines()] == ["beat: Starting..."]
        root.setLevel("DEBUG")
        beat.info("Scheduler: Sending due task %s (%s)", "outbox-relay", "outbox.relay")
        last = json.loads(stream.getvalue().splitlines()[-1])
        assert last["level"] == "DEBUG" and last["message"].startswith("Scheduler: Sending due task outbox-relay")
    finally:
        root.setLevel("INFO")
        root.handlers[0].stream = __import__("sys").stderr
        root.handlers[0].setFormatter(JsonFormatter())


def test_mancrel_logs_follow_continues_across_a_rotation(tmp_path):
    path = tmp_path / "api.log"
    log = RotatingFile(path, max_bytes=60, backups=1)
    log.write("first\n")
    out, stop = io.StringIO(), threading.Event()
    follower = threading.Thread(target=print_log, args=(path, True), kwargs={"out": out, "stop": stop})
    follower.start()
    try:
        for number in range(6):
            log.write(f"line {number} " + "y" * 20 + "\n")  # rotates every two lines
            time.sleep(0.3)  # the follower polls every 0.2 s; it must see each file before the next rotation
        deadline = time.monotonic() + 5
        while "line 5" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        follower.join()
        log.close()
    shown = out.getvalue()
    assert shown.startswith("first\n")
    assert all(f"line {n} " in shown for n in range(6)), shown
