"""Liveness and readiness for load balancers and `mancrel run`."""

import asyncio
from functools import lru_cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from mancrel.core.db import get_engine
from mancrel.core.errors import problem, problem_response
from mancrel.core.redis import get_redis

router = APIRouter(tags=["health"])

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


@lru_cache
def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def missing_migrations(recorded: set[str]) -> set[str]:
    """Heads of the migration scripts not yet applied to the database.

    alembic_version holds only the newest applied revision of each branch; a revision
    another one depends on is applied but not recorded, so compare against everything
    the recorded revisions imply (their ancestors, dependencies included).
    """
    scripts = _scripts()
    applied: set[str] = set()
    pending = [rev for rev in recorded if scripts.revision_map.get_revision(rev) is not None]
    while pending:
        revision = scripts.revision_map.get_revision(pending.pop())
        if revision.revision not in applied:
            applied.add(revision.revision)
            pending.extend(revision._all_down_revisions)
    return set(scripts.get_heads()) - applied


async def _check_database() -> str | None:
    async with get_engine().connect() as conn:
        await conn.execute(text("SELECT 1"))
    return None


async def _check_migrations() -> str | None:
    async with get_engine().connect() as conn:
        recorded = set((await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars())
    missing = missing_migrations(recorded)
    return f"not at head (missing {', '.join(sorted(missing))})" if missing else None


async def _check_redis() -> str | None:
    await get_redis().ping()
    return None


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "Something the API needs is down."}})
async def readyz() -> JSONResponse:
    checks: dict[str, str] = {}
    for name, check in (("database", _check_database), ("migrations", _check_migrations),
                        ("redis", _check_redis)):
        try:
            failure = await asyncio.wait_for(check(), timeout=3)
        except Exception as exc:  # any failure is a "not ready", named below
            failure = f"{type(exc).__name__}: {exc}"[:300]
        checks[name] = failure or "ok"
    failed = [name for name, state in checks.items() if state != "ok"]
    if failed:
        return problem_response(problem(503, "Not ready", f"Failing: {', '.join(failed)}.",
                                        slug="not-ready", checks=checks))
    return JSONResponse({"status": "ready", "checks": checks})
