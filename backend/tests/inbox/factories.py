"""Inbox factories: an email channel row and inbound emails as an adapter would hand them over."""

import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel.models import Channel
from mancrel.contact.models import Contact
from mancrel.inbox import service as inbox_service
from mancrel.inbox.inbound import InboundAttachment, InboundEmail
from mancrel.inbox.models import Message

SHOP = "shop@mancrel-shop.example"
_sequence = itertools.count(1)


async def make_channel(session: AsyncSession, *, owner: Any = None, smtp: bool = True, **settings: Any) -> Channel:
    n = next(_sequence)
    settings = {"address": SHOP, "inbound": "mailgun", **settings}
    if smtp:
        settings.setdefault("smtp", {"host": "127.0.0.1", "port": 2525, "security": "none"})
    channel = Channel(id=uuid.uuid4(), kind="email", name=f"Shop mail {n} {uuid.uuid4().hex[:6]}", settings=settings,
                      default_owner_id=getattr(owner, "id", None))
    session.add(channel)
    await session.flush()
    return channel


def inbound(sender: str = "jane.doe@customer.example", *, name: str = "Jane Doe", subject: str = "Trail jacket",
            text: str = "Hi, is the trail jacket in stock in size M?", message_id: str | None = "auto",
            in_reply_to: str | None = None, references: list[str] | None = None,
            headers: list[tuple[str, str]] | None = None, return_path: str | None = None,
            date: datetime | None = None, html: str | None = None,
            attachments: list[InboundAttachment] | None = None) -> InboundEmail:
    if message_id == "auto":
        message_id = f"<{uuid.uuid4().hex}@customer.example>"
    return InboundEmail(from_address=sender, from_name=name, to=[SHOP], subject=subject, text=text, html=html,
                        message_id=message_id, in_reply_to=in_reply_to, references=references or [],
                        headers=headers or [], return_path=return_path, date=date or datetime.now(UTC),
                        attachments=attachments or [])


async def receive(session: AsyncSession, channel: Channel, email: InboundEmail) -> Message | None:
    return await inbox_service.receive_email(session, channel=channel, email=email)


async def make_contact(session: AsyncSession, *, owner: Any = None, email: str, first_name: str = "Ada",
                       company: Any = None) -> Contact:
    contact = Contact(first_name=first_name, last_name="Buyer", owner_id=getattr(owner, "id", None),
                      company_id=getattr(company, "id", None), emails=[email])
    session.add(contact)
    await session.flush()
    return contact
