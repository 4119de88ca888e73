"""`mancrel doctor`'s checks of the servers: database, migrations, Redis, workers, beat, queues,
channels and catalogue sources (ops/findings.py has the others and the report).

Each check gives OK, WARN (works, but look at it) or FAIL (something users will notice is
broken), with the fix. The exit code is 1 when any check FAILs, so a deploy script or a cron
job can act on it. Checks that need the database or Redis are skipped (FAIL once, at the
server) when that server is unreachable, rather than repeating the same error.
"""

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.catalog.freshness import freshness_lag
from mancrel.catalog.models import CatalogSource
from mancrel.channel.models import Channel
from mancrel.core.db import dispose_engine, unit_of_work
from mancrel.core.redis import close_redis, get_redis
from mancrel.ops.findings import FAIL, OK, WARN, Result
from mancrel.ops.migrations import migration_state
from mancrel.system.product_gauges import channel_failing
from mancrel.system.service import measure
from mancrel.worker.app import QUEUES
from mancrel.worker.heartbeat import BEAT_KEY, WORKER_KEY

QUEUE_WARN_DEPTH = 1000
BEAT_STALE_SECONDS = 60     # the outbox relay is scheduled every 5 s
CATALOG_STALE_SECONDS = 3600


async def check_database() -> Result:
    async with unit_of_work() as session:
        version = await session.scalar(text("show server_version"))
    return Result(OK, "database", f"PostgreSQL {version} answers")


async def check_migrations() -> Result:
    async with unit_of_work() as session:
        applied, pending, known = await migration_state(session)
    if not applied:
        return Result(FAIL, "migrations", "the database has no migrations applied",
                      "run `mancrel migrate` (deploy.sh does it), or restore a backup")
    unknown = applied - known
    if unknown:
        return Result(WARN, "migrations", f"the database has {', '.join(sorted(unknown))}, newer than this code",
                      "a newer release ran here: deploy it again, or roll back the database")
    if pending:
        return Result(FAIL, "migrations", f"not applied: {', '.join(sorted(pending))}",
                      "run `mancrel migrate` before starting api, worker and beat")
    return Result(OK, "migrations", f"at head ({', '.join(sorted(applied))})")


async def check_redis() -> Result:
    info = await get_redis().info("server")
    name = "Valkey" if "valkey_version" in info else "Redis"
    return Result(OK, "redis", f"{name} {info.get('valkey_version') or info.get('redis_version')} answers")


async def check_workers() -> Result:
    redis = get_redis()
    keys = [key async for key in redis.scan_iter(match=WORKER_KEY.format("*"), count=100)]
    workers = [json.loads(v) for v in (await redis.mget(keys) if keys else []) if v]
    if not workers:
        return Result(FAIL, "workers", "no worker has sent a heartbeat in the last 30 s",
                      "start them: `systemctl start mancrel-worker` (or `docker compose up -d worker`); "
                      "`journalctl -u mancrel-worker -n 100` says why they stopped")
    served = {queue for worker in workers for queue in worker.get("queues") or []}
    unserved = [queue for queue in QUEUES if queue not in served]
    detail = f"{len(workers)} alive: " + ", ".join(sorted(w["hostname"] for w in workers))
    if unserved:
        return Result(FAIL, "workers", f"{detail}; nobody consumes {', '.join(unserved)}",
                      f"start a worker for them: `mancrel worker -Q {','.join(unserved)}`")
    return Result(OK, "workers", detail)


async def check_beat() -> Result:
    last = await get_redis().hget(BEAT_KEY, "outbox-relay")
    age = (datetime.now(UTC) - datetime.fromisoformat(last)).total_seconds() if last else None
    if age is None or age > BEAT_STALE_SECONDS:
        seen = "never" if age is None else f"{age:.0f} s ago"
        return Result(FAIL, "beat", f"the scheduler last ran the outbox relay {seen}",
                      "start it: `systemctl start mancrel-beat` (or `docker compose up -d beat`); run one beat only")
    return Result(OK, "beat", f"last schedule {age:.0f} s ago")


async def check_queues() -> Result:
    measures = await measure()
    depths = ", ".join(f"{q} {d}" for q, d in measures.queues.items())
    detail = f"{depths}; outbox backlog {measures.outbox_backlog}; dead letters {measures.dead_letters}"
    deep = [q for q, d in measures.queues.items() if (d or 0) > QUEUE_WARN_DEPTH]
    if deep or measures.outbox_backlog > 100 or measures.dead_letters:
        return Result(WARN, "queues", detail, "deep queues want more workers (`mancrel worker -Q <queue>`); "
                      "dead letters: `mancrel dlq list`, then replay or discard")
    return Result(OK, "queues", detail)


async def _with_session(fn: Callable[[AsyncSession], Awaitable[Result]]) -> Result:
    async with unit_of_work() as session:
        return await fn(session)


async def _channels(session: AsyncSession) -> Result:
    channels = list(await session.scalars(select(Channel).where(Channel.enabled.is_(True)).order_by(Channel.name)))
    failing = [f"{c.name}: {(c.last_error or '').splitlines()[0][:160]}" for c in channels if channel_failing(c)]
    if failing:
        return Result(FAIL, "channels", "; ".join(failing), "Settings > Channels > health shows each error: "
                      "fix the password, token or host; the next poll or send clears it")
    return Result(OK, "channels", f"{len(channels)} enabled, none failing")


async def _sources(session: AsyncSession) -> Result:
    sources = list(await session.scalars(select(CatalogSource).where(CatalogSource.enabled.is_(True))
                                         .order_by(CatalogSource.name)))
    problems = []
    for source in sources:
        lag = await freshness_lag(session, source)
        if source.last_poll_error:
            problems.append(f"{source.name}: last poll failed ({source.last_poll_error.splitlines()[0][:160]})")
        elif lag is not None and lag > CATALOG_STALE_SECONDS:
            problems.append(f"{source.name}: {lag / 3600:.1f} h behind the shop")
    if problems:
        return Result(WARN, "catalogue sources", "; ".join(problems),
                      "`mancrel catalog health <id>` for details, `mancrel catalog poll <id>` to retry")
    return Result(OK, "catalogue sources", f"{len(sources)} enabled, all in step")


async def _guarded(name: str, check: Callable[[], Awaitable[Result]]) -> Result:
    try:
        return await asyncio.wait_for(check(), timeout=15)
    except Exception as exc:  # the check itself failed: that is the finding
        return Result(FAIL, name, f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}",
                      "see the detail; `mancrel doctor` again once it is fixed")


async def _server_checks() -> list[Result]:
    results = []
    database = await _guarded("database", check_database)
    results.append(database)
    if database.status == OK:
        results.append(await _guarded("migrations", check_migrations))
    redis = await _guarded("redis", check_redis)
    results.append(redis)
    if redis.status == OK:
        for name, check in (("workers", check_workers), ("beat", check_beat)):
            results.append(await _guarded(name, check))
    if database.status == OK and redis.status == OK:
        results.append(await _guarded("queues", check_queues))
    if database.status == OK:
        results.append(await _guarded("channels", lambda: _with_session(_channels)))
        results.append(await _guarded("catalogue sources", lambda: _with_session(_sources)))
    await close_redis()
    await dispose_engine()
    return results


def server_checks() -> list[Result]:
    return asyncio.run(_server_checks())
