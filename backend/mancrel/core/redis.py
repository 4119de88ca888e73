"""One async Redis client per process (rate limits, locks, live events)."""

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from mancrel.core.config import get_settings

_client: Redis | None = None


def get_redis() -> Redis:
    global _client
    if _client is None:
        # Pooled connections die when Redis restarts; retrying once on a fresh
        # connection keeps the first command afterwards from failing.
        _client = Redis.from_url(get_settings().broker_url, decode_responses=True,
                                 socket_connect_timeout=2, socket_timeout=5,
                                 retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2),
                                 retry_on_error=[RedisConnectionError, RedisTimeoutError])
    return _client


async def close_redis() -> None:
    global _client
    if _client is not None:
        await _client.aclose()
    _client = None
