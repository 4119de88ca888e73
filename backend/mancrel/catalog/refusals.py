"""Webhook deliveries refused for their signature, remembered per source in Valkey.

A refused delivery leaves no row (nothing about it can be trusted), yet it may be a real change
we are now missing: a secret rotated at the shop but not here, a clock far off. The freshness
figure (freshness.py) asks when the first refusal after the last accepted delivery happened;
the health page counts refusals of the last 24 hours.

Kept as one entry per minute (scored by that minute's last refusal), so a flood of forged
deliveries costs a bounded set, and the answer is right to within a minute.
"""

import logging
import time
import uuid
from datetime import UTC, datetime

from mancrel.core.redis import get_redis

logger = logging.getLogger("mancrel.catalog.webhook")
KEEP_SECONDS = 7 * 86400
COUNT_TTL = 25 * 3600


def _minutes_key(source_id: uuid.UUID) -> str:
    return f"catalog:refusals:{source_id}"


def _count_key(source_id: uuid.UUID, hour: int) -> str:
    return f"catalog:refusals:{source_id}:{hour}"


async def note(source_id: uuid.UUID) -> None:
    now = time.time()
    key = _minutes_key(source_id)
    try:
        async with get_redis().pipeline(transaction=False) as pipe:
            pipe.zadd(key, {str(int(now // 60)): now})
            pipe.zremrangebyscore(key, "-inf", now - KEEP_SECONDS)
            pipe.expire(key, KEEP_SECONDS)
            count = _count_key(source_id, int(now // 3600))
            pipe.incr(count)
            pipe.expire(count, COUNT_TTL)
            await pipe.execute()
    except Exception:  # the sender gets its 401 whatever happens here
        logger.warning("could not note a refused delivery", exc_info=True)


async def first_since(source_id: uuid.UUID, accepted_at: datetime | None) -> datetime | None:
    """When deliveries started being refused after the last accepted one (None: none since)."""
    after = accepted_at.timestamp() if accepted_at else 0.0
    found = await get_redis().zrangebyscore(_minutes_key(source_id), f"({after}", "+inf", start=0, num=1,
                                            withscores=True)
    if not found:
        return None
    minute, _last = found[0]
    # That minute's refusals may have begun before the accepted delivery: not before it, then.
    return datetime.fromtimestamp(max(int(minute) * 60, after), UTC)


async def count_last_24h(source_id: uuid.UUID) -> int:
    hour = int(time.time() // 3600)
    values = await get_redis().mget([_count_key(source_id, h) for h in range(hour - 23, hour + 1)])
    return sum(int(v) for v in values if v)
