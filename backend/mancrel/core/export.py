"""A session for the body of a streamed download.

`SessionDep` is closed before the response starts (so a failed commit is never a 2xx), but
a streamed body is produced afterwards. The body therefore reads through a session of its
own, opened on the same bind when the first byte is wanted and closed after the last.
Read-only: it never commits. On a connection already in a transaction (tests), it joins it in a savepoint.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import get_session


@asynccontextmanager
async def reading_session(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    async with AsyncSession(bind=session.bind, expire_on_commit=False) as reader:
        yield reader


# The alternative: a second request-scoped session, open until the last byte is sent. Use it
# only inside the body (check filters with `SessionDep`): touching it earlier interleaves its
# savepoint with the request session's on a shared test connection.
StreamingSessionDep = Annotated[AsyncSession, Depends(get_session, scope="request")]
