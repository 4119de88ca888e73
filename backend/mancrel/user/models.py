from sqlalchemy import Boolean, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey
from mancrel.core.permissions import Role


class User(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "users"
    SECRET_FIELDS = ("password_hash",)  # never copied into audit snapshots (audit/service.py)

    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(Enum(Role, name="user_role"), default=Role.rep)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"User({self.email}, {self.role})"


