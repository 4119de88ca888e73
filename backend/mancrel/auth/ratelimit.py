"""Sign-in throttling in Redis: slow a guesser down without locking the real user out.

Per email and client address (the pair), a few attempts are free; after that each attempt
makes the next one wait, twice as long each time (1 s, 2 s, 4 s ... up to
MANCREL_LOGIN_MAX_DELAY_SECONDS). Someone guessing a password from one address gets a few
dozen tries an hour; the account's owner, signing in from their own address, is not
affected. Per address alone, a ceiling (MANCREL_LOGIN_MAX_FAILURES_PER_IP in the window)
stops spraying one password over many emails.

Attempts are counted when they start, in one script, so a burst of parallel requests cannot
all slip through before the first failure is recorded. A success forgives the pair.

While Redis cannot be reached, sign-in answers 503 with Retry-After (fails closed): the
limits cannot be kept, and open sign-in would let a guesser run unthrottled for as long as
the outage lasts. Requests already signed in do not need Redis and go on working.
"""

import hashlib
import logging

from redis.exceptions import RedisError

from mancrel.auth.exceptions import SignInUnavailable, TooManyLoginAttempts
from mancrel.core.config import get_settings
from mancrel.core.redis import get_redis

logger = logging.getLogger(__name__)
RETRY_WHILE_UNAVAILABLE_SECONDS = 10

# KEYS: pair attempts, pair wait, address attempts.
# ARGV: free attempts, first delay ms, max delay ms, window s, address ceiling.
# Returns {0, 0} to go ahead, {1, ms} when the address is at its ceiling, {2, ms} when the pair must wait.
_ATTEMPT = """
local address_count = tonumber(redis.call('GET', KEYS[3]) or '0')
if address_count >= tonumber(ARGV[5]) then
  return {1, redis.call('PTTL', KEYS[3])}
end
local wait = redis.call('PTTL', KEYS[2])
if wait > 0 then
  return {2, wait}
end
local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
if redis.call('INCR', KEYS[3]) == 1 then
  redis.call('EXPIRE', KEYS[3], ARGV[4])
end
local free = tonumber(ARGV[1])
if n > free then
  local delay = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ (n - free - 1))
  redis.call('SET', KEYS[2], '1', 'PX', math.floor(delay))
end
return {0, 0}
"""
# KEYS as above. Only an existing address count is decremented: DECR on an expired key would
# leave a negative count without expiry, a free allowance for good.
_FORGIVE = """
redis.call('DEL', KEYS[1], KEYS[2])
if tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then
  redis.call('DECR', KEYS[3])
end
return 0
"""


def _keys(email: str, ip: str) -> tuple[str, str, str]:
    # Hashed: bounded key length whatever was typed, and no email addresses sitting in Redis.
    pair = hashlib.sha256(f"{email.strip().lower()}\x00{ip}".encode()).hexdigest()[:32]
    return f"login:pair:{pair}", f"login:pair-wait:{pair}", f"login:address:{ip}"


def _seconds(milliseconds: int) -> int:
    return max(1, -(-milliseconds // 1000))


async def begin_attempt(email: str, ip: str) -> None:
    """Count a sign-in attempt, or refuse it with 429 and Retry-After if it must wait."""
    settings = get_settings()
    try:
        verdict, wait_ms = await get_redis().eval(
            _ATTEMPT, 3, *_keys(email, ip), settings.login_free_attempts, 1000,
            settings.login_max_delay_seconds * 1000, settings.login_failure_window_seconds,
            settings.login_max_failures_per_ip)
    except RedisError as exc:
        logger.warning("sign-in refused: Redis unreachable (%s)", exc)
        raise SignInUnavailable("Sign-in is briefly unavailable. Try again in a few seconds.",
                                retry_after=RETRY_WHILE_UNAVAILABLE_SECONDS) from exc
    if verdict == 0:
        return
    seconds = _seconds(int(wait_ms))
    if verdict == 1:
        raise TooManyLoginAttempts(
            f"Too many failed sign-in attempts from your address. Try again in {_minutes(seconds)}.",
            retry_after=seconds)
    raise TooManyLoginAttempts(
        f"Too many failed sign-in attempts for this email. Try again in {_minutes(seconds)}.",
        retry_after=seconds)


def _minutes(seconds: int) -> str:
    return f"{seconds} second(s)" if seconds < 120 else f"{(seconds + 59) // 60} minute(s)"


async def forgive(email: str, ip: str) -> None:
    """After a success: the pair starts afresh and the attempt does not count against the address."""
    try:
        await get_redis().eval(_FORGIVE, 3, *_keys(email, ip))
    except RedisError as exc:  # the user is signed in; a stale counter only costs a free try
        logger.warning("sign-in counters not reset: Redis unreachable (%s)", exc)
