"""The normalised inbound email every email adapter produces (Mailgun, Postmark, SendGrid, IMAP).

Adapters (mancrel/channel/) turn a provider's bytes into an `InboundEmail`; the inbox
(`service.receive_email`) threads, identifies, gates and stores it. Nothing here knows a provider.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass
class InboundEmail:
    from_address: str                      # the From header's address (not yet lower-cased)
    from_name: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    subject: str = ""
    text: str | None = None                # the text/plain part
    html: str | None = None                # the text/html part, kept as the original
    message_id: str | None = None          # RFC 5322 Message-ID, with or without <>
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    # Every header as (name, value), in order: the junk gate reads Auto-Submitted, Precedence, ...
    headers: list[tuple[str, str]] = field(default_factory=list)
    # The envelope sender (Return-Path / SMTP MAIL FROM) when the provider gives it; "" is the
    # null sender of a bounce, None means unknown.
    return_path: str | None = None
    date: datetime | None = None
    attachments: list[InboundAttachment] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """The first header of that name (case-insensitive), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


# --- chat channels (WhatsApp, Messenger) -----------------------------------------------------
@dataclass
class InboundChat:
    """A customer's chat message as the WhatsApp and Messenger adapters hand it over."""

    sender_id: str                 # the counterpart on the channel: WhatsApp's wa_id, Messenger's PSID
    provider_message_id: str       # wamid / mid: what retries and threading are matched on
    text: str                      # the words, or a placeholder line ("[image]") and the caption
    occurred_at: datetime
    kind: str = "text"             # the provider's message type (text, image, location, ...)
    sender_name: str = ""
    phone: str | None = None       # the sender's number in E.164 when the channel gives one (WhatsApp)
    reply_to: str | None = None    # the provider id of the message this one answers
    media: dict | None = None      # {"id" | "url", "mime_type", "filename", "sha256"}: fetched by a job
    details: dict = field(default_factory=dict)  # kind-specific data kept on the message (location, ...)


@dataclass(frozen=True)
class DeliveryUpdate:
    """The provider's news about one of our outbound messages (WhatsApp `statuses`)."""

    provider_message_id: str
    status: str                    # sent, delivered, read, failed
    at: datetime
    error: str | None = None       # the provider's error, for `failed`


@dataclass(frozen=True)
class NotAMessage:
    """A delivery the junk gate drops: no customer wrote it (system notices, reactions, ...)."""

    reason: str
