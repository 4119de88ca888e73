"""Channel requests and answers. Settings and secrets are checked per kind (SETTINGS_BY_KIND), so
the Meta channels of a later issue add their own models without touching the email ones."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, model_validator

from mancrel.channel.models import ChannelKind
from mancrel.core.outbound import check_url
from mancrel.core.types import Text

EmailInbound = Literal["mailgun", "postmark", "sendgrid", "imap"]
WEBHOOK_INBOUND = {"mailgun", "postmark", "sendgrid"}
Host = Field(min_length=1, max_length=253)
Port = Field(ge=1, le=65535)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ImapSettings(_Strict):
    host: Text = Host
    port: int = Port
    username: Text = Field(min_length=1, max_length=320)
    tls: bool = True  # implicit TLS (port 993); False is plain IMAP, for a server on a trusted network
    folder: Text = Field(default="INBOX", min_length=1, max_length=200)
    poll_interval_seconds: int = Field(default=60, ge=5, le=86400)
    backfill_days: int = Field(default=7, ge=0, le=365)


class SmtpSettings(_Strict):
    host: Text = Host
    port: int = Port
    username: Text | None = Field(default=None, max_length=320)
    security: Literal["starttls", "tls", "none"] = "starttls"


class EmailSettings(_Strict):
    address: EmailStr  # the shop's mailbox: the From of replies; mail from it is never a lead
    inbound: EmailInbound
    basic_auth_user: Text | None = Field(default=None, min_length=1, max_length=200)  # Postmark / SendGrid
    imap: ImapSettings | None = None
    smtp: SmtpSettings | None = None

    @model_validator(mode="after")
    def _inbound_needs(self) -> "EmailSettings":
        if self.inbound == "imap" and self.imap is None:
            raise ValueError("inbound imap needs the imap settings (host, port, username)")
        if self.inbound in ("postmark", "sendgrid") and not self.basic_auth_user:
            raise ValueError(f"inbound {self.inbound} needs basic_auth_user (the user in the webhook URL)")
        return self


class EmailSecrets(_Strict):
    signing_key: Text | None = Field(default=None, min_length=1, max_length=500)
    basic_auth_password: Text | None = Field(default=None, min_length=1, max_length=500)
    imap_password: Text | None = Field(default=None, min_length=1, max_length=500)
    smtp_password: Text | None = Field(default=None, min_length=1, max_length=500)


# Meta's Graph API, at the version our adapters were written and tested against; a channel may point
# elsewhere (a newer version, or the tests' local stand-in).
GRAPH_BASE_URL = "https://graph.facebook.com/v21.0"
MetaId = Field(min_length=1, max_length=64, pattern=r"^[0-9]+$")  # Meta's numeric object ids
GraphUrl = Field(default=GRAPH_BASE_URL, min_length=8, max_length=300, pattern=r"^https?://[^\s]+[^/\s]$")


def _fetchable(url: str) -> str:
    check_url(url)  # an admin's URL: public addresses only (core/outbound), told when saved
    return url


GraphBase = Annotated[str, AfterValidator(_fetchable)]


class WhatsAppSettings(_Strict):
    phone_number_id: str = MetaId
    display_phone_number: Text = Field(min_length=1, max_length=32)
    # The WhatsApp Business Account (WABA) that owns the number: its approved message templates are
    # what may be sent after the 24-hour window. Optional, so channels made before it stay valid.
    business_account_id: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[0-9]+$")
    graph_base_url: GraphBase = GraphUrl


class MessengerSettings(_Strict):
    page_id: str = MetaId
    graph_base_url: GraphBase = GraphUrl


class LeadAdsSettings(_Strict):
    page_id: str = MetaId
    pipeline_id: uuid.UUID  # the deals a lead creates go here
    stage_id: uuid.UUID
    owner_id: uuid.UUID | None = None
    graph_base_url: GraphBase = GraphUrl


class MetaSecrets(_Strict):
    """All three are needed: the app secret signs deliveries, the verify token answers Meta's
    subscription handshake, and the access token calls the Graph API."""

    app_secret: Text = Field(min_length=1, max_length=500)
    access_token: Text = Field(min_length=1, max_length=2000)
    verify_token: Text = Field(min_length=1, max_length=500)


# Per kind: the settings model, the secrets model, and which secret each inbound way requires.
SETTINGS_BY_KIND: dict[str, tuple[type[BaseModel], type[BaseModel]]] = {
    ChannelKind.email: (EmailSettings, EmailSecrets),
    ChannelKind.whatsapp: (WhatsAppSettings, MetaSecrets),
    ChannelKind.messenger: (MessengerSettings, MetaSecrets),
    ChannelKind.lead_ads: (LeadAdsSettings, MetaSecrets),
}
META_KINDS = frozenset({ChannelKind.whatsapp, ChannelKind.messenger, ChannelKind.lead_ads})
REQUIRED_SECRETS = {"mailgun": "signing_key", "postmark": "basic_auth_password",
                    "sendgrid": "basic_auth_password", "imap": "imap_password"}


class ChannelCreate(BaseModel):
    kind: ChannelKind
    name: Text = Field(min_length=1, max_length=120)
    enabled: bool = True
    settings: dict[str, Any]
    secrets: dict[str, Any] = Field(default_factory=dict, description="Write-only; never returned.")
    default_owner_id: uuid.UUID | None = None


class ChannelUpdate(BaseModel):
    """Settings are merged key by key (a key set to null is removed); each secret given replaces
    the stored one (null removes it); secrets not named stay as they are."""

    name: Text | None = Field(default=None, min_length=1, max_length=120)
    enabled: bool | None = None
    settings: dict[str, Any] | None = None
    secrets: dict[str, Any] | None = Field(default=None, description="Write-only; never returned.")
    default_owner_id: uuid.UUID | None = None


class ChannelRead(BaseModel):
    id: uuid.UUID
    kind: str
    name: str
    enabled: bool
    settings: dict[str, Any]
    secrets_set: list[str]  # names only
    default_owner_id: uuid.UUID | None
    webhook_path: str | None  # where the provider posts, for webhook-fed channels
    created_at: datetime
    updated_at: datetime


class ChannelPage(BaseModel):
    items: list[ChannelRead]
    next_cursor: str | None = None


class ChannelHealth(BaseModel):
    channel_id: uuid.UUID
    enabled: bool
    last_received_at: datetime | None
    last_polled_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    messages_in_24h: int
    messages_out_24h: int
    outbound_queued: int  # queued or being handed to the mail server
    outbound_failed: int
    inbound_failed: int   # deliveries that could not be read (replayable from the dead letters)
    # Meta channels: the Graph API refused the access token (HTTP 401 / error code 190) at this time.
    token_error: str | None = None
    token_error_at: datetime | None = None


class MessageTemplateRead(BaseModel):
    """An approved WhatsApp template, as the composer offers it."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    language: str = Field(description="Meta's language code, e.g. en_US; a template is named by name and language.")
    category: str = Field(description="MARKETING, UTILITY or AUTHENTICATION.")
    body: str = Field(description="The body text with its {{1}}-style placeholders.")
    parameter_count: int = Field(description="How many parameters the body takes, {{1}} to {{n}}.")


class MessageTemplateList(BaseModel):
    items: list[MessageTemplateRead]
    fetched_at: datetime = Field(description="When the list was read from Meta (it is kept a few minutes).")
