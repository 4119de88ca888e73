"""Every table, imported in one place so Alembic and tests see the whole schema."""

from mancrel.audit.models import AuditEntry
from mancrel.auth.models import RefreshToken
from mancrel.core.db import Base
from mancrel.core.state import AppState
from mancrel.user.models import User
from mancrel.worker.models import OutboxMessage

__all__ = ["AppState", "AuditEntry", "Base", "OutboxMessage", "RefreshToken", "User"]
