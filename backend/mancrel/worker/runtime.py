"""One event loop and one database engine per worker process (DESIGN.md).

Celery tasks are plain functions; they run the same async services as the API on this
process's loop. Prefork children get theirs at `worker_process_init`; the solo pool and
beat create one lazily.
"""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from celery.signals import worker_process_init, worker_process_shutdown

from mancrel.core.config import get_settings
from mancrel.core.db import dispose_engine, init_engine
from mancrel.core.logging import configure_logging

T = TypeVar("T")
_loop: asyncio.AbstractEventLoop | None = None


def _process_loop() -> asyncio.AbstractEventLoop:
    global _loop
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
        asyncio.set_event_loop(_loop)
        init_engine()
    return _loop


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on this process's loop."""
    return _process_loop().run_until_complete(coro)


@worker_process_init.connect
def _init_process(**_: Any) -> None:
    global _loop
    configure_logging(get_settings().log_level)
    _loop = None  # a forked child must not reuse the parent's loop or connections
    _process_loop()


@worker_process_shutdown.connect
def _shutdown_process(**_: Any) -> None:
    if _loop is not None and not _loop.is_closed():
        _loop.run_until_complete(dispose_engine())
        _loop.close()
