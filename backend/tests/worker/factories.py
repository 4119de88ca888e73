import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import utcnow
from mancrel.deadletter.models import DeadLetter


async def make_dead_letter(session: AsyncSession, *, task_name: str = "tests.record", key: str = "k",
                           error: str = "boom", attempts: int = 3) -> DeadLetter:
    now = utcnow()
    letter = DeadLetter(task_id=str(uuid.uuid4()), task_name=task_name, kwargs={"key": key}, error=error,
                        error_type="builtins.RuntimeError", traceback="Traceback ...\nRuntimeError: boom",
                        attempts=attempts, first_failed_at=now, last_failed_at=now)
    session.add(letter)
    await session.flush()
    return letter
