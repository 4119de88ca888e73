import uuid

from mancrel.core.db import SessionDep
from mancrel.user import service as user_service
from mancrel.user.exceptions import UserNotFound
from mancrel.user.models import User


async def existing_user(user_id: uuid.UUID, session: SessionDep) -> User:
    user = await user_service.get(session, user_id)
    if user is None:
        raise UserNotFound(f"No user with id {user_id}.")
    return user
