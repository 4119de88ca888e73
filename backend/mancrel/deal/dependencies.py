import uuid
from typing import Annotated

from fastapi import Depends

from mancrel.auth.dependencies import CurrentUser
from mancrel.core.db import SessionDep
from mancrel.deal import service as deal_service
from mancrel.deal.models import Deal


async def visible_deal(deal_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Deal:
    """The deal, if the caller may see it; a missing, deleted or invisible deal is a 404."""
    return await deal_service.get_visible(session, deal_id, user)


VisibleDeal = Annotated[Deal, Depends(visible_deal)]
