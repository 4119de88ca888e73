"""Which failures a job retries and which it gives up on at once.

Transient: the same call may well succeed in a moment (network trouble, a 5xx or 429
from a third party, a serialization failure, a deadlock, a lock or statement timeout,
a dropped database or Redis connection). Those are retried with exponential backoff
and jitter. Anything else is a bug or bad data that retrying cannot fix: the job goes
straight to the dead letters, to be replayed once the cause is fixed. Raise
`PermanentError` to say so explicitly, e.g. when a third party answers 4xx.
"""

import asyncio
import random

import httpx
import redis.exceptions
from sqlalchemy import exc as sa_exc

# SQLSTATEs worth another try: serialization failure, deadlock, lock not available,
# statement timeout / query canceled, too many connections, and the connection class.
TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03", "57014", "53300", "57P01", "57P03"}


class PermanentError(Exception):
    """A failure retrying cannot fix: dead-letter the job without further attempts."""


class TransientError(Exception):
    """A failure our own code has already judged passing (e.g. a third party that kept
    answering 5xx through its own short retries): retry the job with backoff."""


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    for candidate in (orig, getattr(orig, "__cause__", None)):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if code:
            return str(code)
    return None


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, PermanentError):
        return False
    if isinstance(exc, TransientError):
        return True
    if isinstance(exc, httpx.HTTPStatusError):
        status = exc.response.status_code
        return status >= 500 or status == 429
    if isinstance(exc, httpx.TransportError | ConnectionError | TimeoutError | asyncio.TimeoutError
                  | redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated or isinstance(exc, sa_exc.InterfaceError):
            return True
        code = _sqlstate(exc)
        return code is not None and (code in TRANSIENT_SQLSTATES or code.startswith("08"))
    if isinstance(exc, sa_exc.TimeoutError | sa_exc.DisconnectionError):
        return True  # pool exhausted or connection lost
    return isinstance(exc, OSError)


def backoff_seconds(attempt: int, *, base: float, maximum: float) -> float:
    """Exponential backoff with "equal jitter": between half and all of
    min(maximum, base * 2**attempt). The jitter spreads a burst of failures (a third
    party down for everyone) so the retries do not all arrive together again; the half
    kept fixed makes sure each wait still grows."""
    cap = min(maximum, base * 2 ** attempt)
    return cap / 2 + random.uniform(0, cap / 2)
