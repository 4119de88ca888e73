"""One async Redis client per process (rate limits, locks, live events)."""

from redis.asyncio import Redis

from mancrel.core.config import get_settings

_client: Redis | None = None


def get_redis() -> Redis:
    global _client
    if _client is None:
        _client = Redis.from_url(get_settings().broker_url, decode_responses=True,
                                 socket_connect_timeout=2, socket_timeout=5)
    return _client


async def close_redis() -> None:
    global _client
    if _client is not None:
        await _client.aclose()
    _client = None
