"""Failed-login limits in Redis: per email and per client IP, in a fixed window."""

from mancrel.core.config import get_settings
from mancrel.core.errors import TooManyRequests
from mancrel.core.redis import get_redis


class TooManyLoginAttempts(TooManyRequests):
    title = "Too many failed sign-in attempts"
    slug = "too-many-login-attempts"


def _keys(email: str, ip: str) -> tuple[str, str]:
    return f"login-failures:email:{email.strip().lower()}", f"login-failures:ip:{ip}"


async def check_allowed(email: str, ip: str) -> None:
    """Refuse with 429 and Retry-After while either counter is at its limit."""
    settings = get_settings()
    email_key, ip_key = _keys(email, ip)
    redis = get_redis()
    async with redis.pipeline(transaction=False) as pipe:
        pipe.get(email_key).ttl(email_key).get(ip_key).ttl(ip_key)
        email_count, email_ttl, ip_count, ip_ttl = await pipe.execute()
    blocked_for = 0
    if int(email_count or 0) >= settings.login_max_failures_per_email:
        blocked_for = max(blocked_for, email_ttl)
    if int(ip_count or 0) >= settings.login_max_failures_per_ip:
        blocked_for = max(blocked_for, ip_ttl)
    if blocked_for:
        raise TooManyLoginAttempts(
            f"Too many failed sign-in attempts. Try again in {max(1, (blocked_for + 59) // 60)} minute(s).",
            retry_after=max(1, blocked_for))


async def record_failure(email: str, ip: str) -> None:
    window = get_settings().login_failure_window_seconds
    redis = get_redis()
    async with redis.pipeline(transaction=True) as pipe:
        for key in _keys(email, ip):
            pipe.incr(key).expire(key, window, nx=True)
        await pipe.execute()


async def clear_email_failures(email: str) -> None:
    await get_redis().delete(_keys(email, "")[0])
