"""Session for streamed downloads.

`SessionDep` closes its session before the response is sent (so a failed commit is never a
2xx). A streamed body is produced after that, so a download reads through this session,
whose dependency scope lasts until the last byte is sent. It is read-only by convention.
"""

from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.core.db import get_session

StreamingSessionDep = Annotated[AsyncSession, Depends(get_session, scope="request")]
