import uuid
from typing import Annotated

from fastapi import Depends

from mancrel.auth.dependencies import AdminUser, CurrentUser
from mancrel.channel import service as channel_service
from mancrel.channel.exceptions import ChannelNotFound
from mancrel.channel.models import Channel
from mancrel.core.db import SessionDep
from mancrel.core.permissions import Role
from mancrel.inbox import conversations


async def existing_channel(channel_id: uuid.UUID, _: AdminUser, session: SessionDep) -> Channel:
    """Channels are an admin's business: the role is checked before the lookup."""
    return await channel_service.get_existing(session, channel_id)


async def answering_channel(channel_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Channel:
    """A channel whose conversations the user answers: admins and managers any, a rep one where they may see a
    conversation. To anyone else it does not exist (404, as a conversation they may not see)."""
    channel = await channel_service.get_existing(session, channel_id)
    if user.role == Role.rep and not await conversations.sees_channel(session, channel.id, user):
        raise ChannelNotFound()
    return channel


ChannelDep = Annotated[Channel, Depends(existing_channel)]
AnsweringChannel = Annotated[Channel, Depends(answering_channel)]
