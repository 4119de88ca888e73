"""Where the database and Redis of this installation are, for commands run beside it.

DATABASE_URL / REDIS_URL when set (a server install, compose). Otherwise the embedded servers
of a `mancrel run` using MANCREL_DATA_DIR: their ports are in PostgreSQL's postmaster.pid and
Valkey's valkey.conf, their passwords beside them (core/embedded.py). The URL found is put in
the environment, so the settings (and so the engine and the Redis client) use it.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from mancrel.core.config import Settings, get_settings


@dataclass
class NotFound:
    name: str
    detail: str
    fix: str


def _use(name: str, url: str) -> str:
    os.environ[name] = url
    get_settings.cache_clear()
    return url


def embedded_database_url(data_dir: Path) -> str | None:
    folder = data_dir.resolve() / "postgres"
    try:
        port = (folder / "pgdata" / "postmaster.pid").read_text().splitlines()[3].strip()
        password = (folder / "password").read_text().strip()
    except (OSError, IndexError):
        return None
    return f"postgresql://postgres:{password}@127.0.0.1:{port}/mancrel"


def embedded_redis_url(data_dir: Path) -> str | None:
    folder = data_dir.resolve() / "valkey"
    try:
        config = (folder / "valkey.conf").read_text().splitlines()
        password = (folder / "password").read_text().strip()
    except OSError:
        return None
    port = next((line.split()[1] for line in config if line.startswith("port ")), None)
    return f"redis://:{password}@127.0.0.1:{port}/0" if port else None


def database_url(settings: Settings) -> "str | NotFound":
    if settings.database_url:
        return settings.database_url
    found = embedded_database_url(settings.data_dir)
    if found is None:
        return NotFound("database", f"DATABASE_URL is not set and no embedded database runs in "
                        f"{settings.data_dir.resolve()}", "set DATABASE_URL (server installs: "
                        "/etc/mancrel/mancrel.env), or start `mancrel run`, or set MANCREL_DATA_DIR")
    return _use("DATABASE_URL", found)


def redis_url(settings: Settings) -> "str | NotFound":
    if settings.redis_url:
        return settings.redis_url
    found = embedded_redis_url(settings.data_dir)
    if found is None:
        return NotFound("redis", f"REDIS_URL is not set and no embedded Valkey runs in "
                        f"{settings.data_dir.resolve()}", "set REDIS_URL, or start `mancrel run`")
    return _use("REDIS_URL", found)
