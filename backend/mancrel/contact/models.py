import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, String, Text, Uuid, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mancrel.core.db import Base, Timestamps, UUIDPrimaryKey
from mancrel.core.permissions import OwnedMixin
from mancrel.core.records import SoftDeleteMixin, VersionedMixin


class LifecycleStage(StrEnum):
    lead = "lead"
    prospect = "prospect"
    customer = "customer"
    churned = "churned"


class Contact(UUIDPrimaryKey, Timestamps, OwnedMixin, SoftDeleteMixin, VersionedMixin, Base):
    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_list", "created_at", "id", postgresql_where=text("deleted_at IS NULL")),
        Index("ix_contacts_updated", "updated_at", "id", postgresql_where=text("deleted_at IS NULL")),
        # One per sort the list offers, matching its keyset (column, id).
        Index("ix_contacts_last_name", "last_name", "id", postgresql_where=text("deleted_at IS NULL")),
        Index("ix_contacts_first_name", "first_name", "id", postgresql_where=text("deleted_at IS NULL")),
        Index("ix_contacts_search_trgm", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}),
        Index("ix_contacts_emails", "emails", postgresql_using="gin"),
        Index("ix_contacts_phones", "phones", postgresql_using="gin"),
        Index("ix_contacts_tags", "tags", postgresql_using="gin"),
        Index("ix_contacts_custom_fields", "custom_fields", postgresql_using="gin",
              postgresql_ops={"custom_fields": "jsonb_path_ops"}),
    )

    first_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    last_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    title: Mapped[str | None] = mapped_column(String(200))
    emails: Mapped[list[str]] = mapped_column(ARRAY(String(320)), default=list, server_default=text("'{}'"))
    phones: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list, server_default=text("'{}'"))
    company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), index=True)
    lifecycle_stage: Mapped[LifecycleStage] = mapped_column(
        Enum(LifecycleStage, name="contact_lifecycle"), default=LifecycleStage.lead,
        server_default=LifecycleStage.lead.value)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list, server_default=text("'{}'"))
    source: Mapped[str | None] = mapped_column(String(100))
    whatsapp_id: Mapped[str | None] = mapped_column(String(64), index=True)
    messenger_psid: Mapped[str | None] = mapped_column(String(64), index=True)
    last_contacted_at: Mapped[datetime | None]
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))
    # Lower-cased names, emails and phones, kept by a trigger (so COPY loads fill it too);
    # one trigram index over it serves `q`.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")



class ContactIdentityKey(Base):
    """The live contacts holding each email, phone and folded full name (SQL `contact_name_key`;
    alone, and with the company), kept by a database trigger on every write (COPY loads
    included), so duplicates are found without grouping every contact."""

    __tablename__ = "contact_identity_keys"
    __table_args__ = (
        Index("ix_contact_identity_keys_shared", "kind", "value",
              postgresql_where=text("cardinality(contact_ids) > 1")),
        Index("ix_contact_identity_keys_few_names", "value",
              postgresql_where=text("kind = 'name' AND cardinality(contact_ids) BETWEEN 2 AND 3")),
    )

    # "email", "phone", "name" (folded full name) or "name_company" (folded name, chr(31), company id)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    value: Mapped[str] = mapped_column(String(320), primary_key=True)
    contact_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid))
