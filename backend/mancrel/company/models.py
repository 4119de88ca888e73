from typing import Any

from sqlalchemy import Index, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey
from mancrel.core.permissions import OwnedMixin
from mancrel.core.records import SoftDeleteMixin, VersionedMixin


class Company(UUIDPrimaryKey, Timestamps, OwnedMixin, SoftDeleteMixin, VersionedMixin, Base):
    __tablename__ = "companies"
    __table_args__ = (
        # One live company per domain; a deleted one does not block a new one (restore checks).
        Index("uq_companies_domain", "domain", unique=True,
              postgresql_where=text("deleted_at IS NULL AND domain IS NOT NULL")),
        Index("ix_companies_list", "created_at", "id", postgresql_where=text("deleted_at IS NULL")),
        Index("ix_companies_updated", "updated_at", "id", postgresql_where=text("deleted_at IS NULL")),
        Index("ix_companies_name", "name", "id", postgresql_where=text("deleted_at IS NULL")),
        Index("ix_companies_name_trgm", "name", postgresql_using="gin",
              postgresql_ops={"name": "gin_trgm_ops"}),
        Index("ix_companies_domain_trgm", "domain", postgresql_using="gin",
              postgresql_ops={"domain": "gin_trgm_ops"}),
        Index("ix_companies_tags", "tags", postgresql_using="gin"),
        Index("ix_companies_custom_fields", "custom_fields", postgresql_using="gin",
              postgresql_ops={"custom_fields": "jsonb_path_ops"}),
    )

    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str | None] = mapped_column(String(253))
    industry: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list, server_default=text("'{}'"))
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))
