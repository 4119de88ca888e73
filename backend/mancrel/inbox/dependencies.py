import uuid
from typing import Annotated

from fastapi import Depends

from mancrel.auth.dependencies import CurrentUser
from mancrel.core.db import SessionDep
from mancrel.inbox import conversations
from mancrel.inbox.models import Conversation


async def visible_conversation(conversation_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Conversation:
    return await conversations.get_visible(session, conversation_id, user)


VisibleConversation = Annotated[Conversation, Depends(visible_conversation)]
