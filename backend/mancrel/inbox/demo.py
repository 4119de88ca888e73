"""Demo inbox for `make run`: a Mailgun-style email channel and a dozen customer conversations
about the demo catalogue, taken in through the real intake (threading, identity, the junk gate)
and classified by the worker's `ai.process_message` like any other mail."""

import json
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.channel import service as channel_service
from mancrel.channel.models import Channel
from mancrel.channel.schemas import ChannelCreate
from mancrel.contact.models import Contact
from mancrel.core.db import utcnow
from mancrel.core.security import decrypt_secret
from mancrel.inbox import service as inbox_service
from mancrel.inbox.inbound import InboundEmail

DEMO_CHANNEL = "Shop mailbox (demo)"
SHOP = "hello@trailhead-outfitters.example"

# (hours ago, subject, text); the first ten go to demo contacts, in order.
MAILS = [
    (30, "Socks in size L?", "Hi, are the Merino Hiking Socks in size L back in stock soon? I need two pairs "
                             "before a trip on the 20th.\n\nThanks,\n{first}"),
    (26, "Order #TH-1042", "Hello, I ordered the Trail Runner Shoe in 43 last Tuesday and the tracking link still "
                           "shows nothing. Where is my order?\n\n{first}"),
    (22, "Rain jacket price", "Good morning, is the Packable Rain Jacket still 149 EUR or was that a promotion? "
                              "We would take five for our staff.\n\nBest regards\n{first}"),
    (20, "Return", "I would like to return the trekking poles, they are too long for me. How do I send them "
                   "back?\n\n{first}"),
    (14, "Very disappointed", "The water bottle I received leaks from the lid after two days. This is not what I "
                              "expect for 34 euros. Please sort this out.\n\n{first}"),
    (12, "Shipping to Norway", "Do you ship to Norway, and how long does it usually take?\n\nCheers, {first}"),
    (9, "Wholesale enquiry", "We run a small outdoor shop in Graz and would like to stock Alpine Loom socks. Do "
                             "you offer wholesale prices?\n\nKind regards\n{first}"),
    (6, "Which shoe size?", "I normally wear 42.5 in road shoes. Should I take the Trail Runner in 42 or 43?\n\n"
                            "{first}"),
    (3, "Buy the 3-pack", "I'd like to order two of the merino 3-packs in M. Can I pay by invoice?\n\n{first}"),
    (1, "URGENT: wrong item", "URGENT - I received a blue jacket in size M instead of L and I leave for the Alps "
                              "tomorrow morning! Can you send the right one today?\n\n{first}"),
]
NEW_SENDER = ("sam.okafor@example.org", "Sam Okafor", 2, "Trekking poles weight",
              "Hi there, how heavy are the ultralight trekking poles, per pole or per pair?\n\nSam")
NEWSLETTER = ("news@outdoor-trade-weekly.example", "Outdoor Trade Weekly", 5, "This week in outdoor retail",
              "Top stories this week: ...", [("List-Unsubscribe", "<mailto:unsubscribe@outdoor-trade-weekly.example>"),
                                             ("Precedence", "bulk")])
FOLLOW_UP = "Any news on this? Thanks again."


async def seed(session: AsyncSession) -> None:
    channel = await channel_service.create(session, actor=None, data=ChannelCreate(
        kind="email", name=DEMO_CHANNEL, settings={"address": SHOP, "inbound": "mailgun"},
        secrets={"signing_key": secrets.token_hex(24)}))
    contacts = list(await session.scalars(
        select(Contact).where(Contact.deleted_at.is_(None), Contact.emails != []).order_by(Contact.created_at)
        .limit(len(MAILS))))
    now = utcnow()
    first_mail = None
    for n, (contact, (hours, subject, text)) in enumerate(zip(contacts, MAILS, strict=False)):
        name = f"{contact.first_name} {contact.last_name}".strip()
        mail = _mail(contact.emails[0], name, subject, text.format(first=contact.first_name), now, hours, n)
        message = await inbox_service.receive_email(session, channel=channel, email=mail)
        first_mail = first_mail or (mail, message)
    address, name, hours, subject, text = NEW_SENDER
    await inbox_service.receive_email(session, channel=channel, email=_mail(address, name, subject, text, now,
                                                                           hours, 90))
    address, name, hours, subject, text, headers = NEWSLETTER
    await inbox_service.receive_email(session, channel=channel, email=_mail(address, name, subject, text, now, hours,
                                                                           91, headers=headers))
    if first_mail is not None:  # a customer writing again in the same thread
        mail, message = first_mail
        await inbox_service.receive_email(session, channel=channel, email=_mail(
            mail.from_address, mail.from_name, f"Re: {mail.subject}", FOLLOW_UP, now, 0.5, 92,
            in_reply_to=f"<{message.provider_message_id}>"))


def _mail(address: str, name: str, subject: str, text: str, now, hours: float, n: int, *,
          headers: list[tuple[str, str]] | None = None, in_reply_to: str | None = None) -> InboundEmail:
    return InboundEmail(from_address=address, from_name=name, to=[SHOP], subject=subject, text=text,
                        message_id=f"<demo-{n}-{secrets.token_hex(4)}@mail.example>", in_reply_to=in_reply_to,
                        references=[in_reply_to] if in_reply_to else [], headers=headers or [],
                        date=now - timedelta(hours=hours))


async def use_outbox(session: AsyncSession, host: str, port: int) -> bool:
    """Send the demo mailbox's replies through this run's local outbox (mancrel/demo_outbox.py);
    whether it does. Left alone once an admin gave it another outgoing server."""
    channel = await session.scalar(select(Channel).where(Channel.name == DEMO_CHANNEL))
    if channel is None:
        return False
    smtp = (channel.settings or {}).get("smtp")
    if smtp is not None and (smtp.get("host") != host or smtp.get("security") != "none" or smtp.get("username")):
        return False
    channel.settings = {**channel.settings, "smtp": {"host": host, "port": port, "security": "none"}}
    await session.flush()
    return True


async def webhook_hint(session: AsyncSession, base_url: str = "") -> str | None:
    """What `mancrel run` prints so a newcomer can post mail to the demo channel."""
    channel = await session.scalar(select(Channel).where(Channel.name == DEMO_CHANNEL))
    if channel is None or not channel.secrets_encrypted:
        return None
    key = json.loads(decrypt_secret(channel.secrets_encrypted)).get("signing_key")
    return f"POST {base_url}/webhook/email/{channel.id} (Mailgun format, signing key {key})"
