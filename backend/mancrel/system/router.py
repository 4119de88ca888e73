from fastapi import APIRouter

from mancrel.auth.dependencies import AdminUser
from mancrel.core.db import SessionDep
from mancrel.system import service as system_service
from mancrel.system.schemas import SystemStatus

router = APIRouter(prefix="/system", tags=["system"])


@router.get("/status", response_model=SystemStatus)
async def get_system_status(_: AdminUser, session: SessionDep) -> SystemStatus:
    """Queues, live workers, outbox backlog, dead letters and beat's last runs."""
    return await system_service.status(session)
