import uuid
from typing import Annotated

from fastapi import Depends

from mancrel.auth.dependencies import AdminUser
from mancrel.channel import service as channel_service
from mancrel.channel.models import Channel
from mancrel.core.db import SessionDep


async def existing_channel(channel_id: uuid.UUID, _: AdminUser, session: SessionDep) -> Channel:
    """Channels are an admin's business: the role is checked before the lookup."""
    return await channel_service.get_existing(session, channel_id)


ChannelDep = Annotated[Channel, Depends(existing_channel)]
