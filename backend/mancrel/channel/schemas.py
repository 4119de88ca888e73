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


class ChannelSummary(BaseModel):
    """What every user may know of a channel: enough to filter the inbox by it (no settings, no secrets)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    name: str


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
    # Replies back in the queue after an attempt the server refused for now or could not take (their
    # failure_reason says why); the send job tries again, and last_error keeps the reason.
    outbound_retrying: int
    inbound_failed: int   # deliveries that could not be read (replayable from the dead letters)
    # Meta channels: the Graph API refused the access token (HTTP 401 / error code 190) at this time.
    token_error: str | None = None
    token_error_at: datetime | None = None


class TemplateParameterRead(BaseModel):
    """One variable of a template, as the composer asks for it."""

    model_config = ConfigDict(from_attributes=True)

    name: str = Field(description="1, 2... in a POSITIONAL template; the name (first_name) in a NAMED one.")
    example: str | None = Field(description="The sample value the template was approved with, if it gave one.")


class TemplateHeaderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    format: Literal["TEXT", "IMAGE", "VIDEO", "DOCUMENT"] = Field(
        description="TEXT: a line of text (with at most one parameter); otherwise a file the rep links to.")
    text: str | None = Field(description="TEXT headers: the text with its placeholder, if any.")
    parameter: TemplateParameterRead | None = Field(description="A TEXT header's one variable, if it has one.")


class TemplateButtonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    index: int = Field(description="The button's position among the template's buttons (0-based).")
    type: Literal["QUICK_REPLY", "PHONE_NUMBER", "URL"]
    text: str = Field(description="The button's label.")
    url: str | None = Field(description="URL buttons: the address, ending in {{1}} when the sender supplies the end.")
    phone_number: str | None = None
    parameter: TemplateParameterRead | None = Field(
        description="A URL button's variable: the text put in place of {{1}} (the example is the end of the "
                    "sample URL).")


class MessageTemplateRead(BaseModel):
    """An approved WhatsApp template, as the composer offers it: what it says and every value it needs."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    language: str = Field(description="Meta's language code, e.g. en_US; a template is named by name and language.")
    category: str = Field(description="MARKETING, UTILITY or AUTHENTICATION.")
    parameter_format: Literal["POSITIONAL", "NAMED"] = Field(
        description="POSITIONAL: send the body's values as `parameters`, in order; NAMED: as `named_parameters`.")
    header: TemplateHeaderRead | None
    body: str = Field(description="The body text with its {{1}}- or {{first_name}}-style placeholders.")
    body_parameters: list[TemplateParameterRead] = Field(description="The body's variables, in order.")
    parameter_count: int = Field(description="How many parameters the body takes.")
    footer: str | None
    buttons: list[TemplateButtonRead]


class MessageTemplateList(BaseModel):
    items: list[MessageTemplateRead]
    fetched_at: datetime = Field(description="When the list was read from Meta (it is kept a few minutes).")


# --- sending a template (a conversation's reply; inbox/schemas.ReplyCreate takes it) ---------------------
class TemplateMedia(_Strict):
    """A media header's file: a public https link Meta fetches when it sends the message."""

    link: Text = Field(min_length=1, max_length=2000)
    filename: Text | None = Field(default=None, max_length=240,
                                  description="DOCUMENT headers only, and required there: the name the customer sees.")


class TemplateButtonValue(_Strict):
    index: int = Field(ge=0, le=9, description="The URL button's `index` in the template list.")
    text: Text = Field(max_length=2000, description="Put in place of the button URL's {{1}}.")


class TemplateReply(_Strict):
    """An approved WhatsApp template by name and language, with every value it needs: the body's parameters
    (in order, or by name for a NAMED template), the header's, and the end of each URL button with a variable."""

    name: Text = Field(min_length=1, max_length=512)
    language: Text = Field(min_length=2, max_length=15, description="e.g. en_US, as the template list says.")
    parameters: list[Annotated[Text, Field(max_length=32768)]] = Field(
        default_factory=list, max_length=100, description="POSITIONAL templates: {{1}}, {{2}}... in order.")
    named_parameters: dict[Annotated[Text, Field(max_length=100)], Annotated[Text, Field(max_length=32768)]] = Field(
        default_factory=dict, max_length=100, description="NAMED templates: the body's values by name.")
    header_text: Text | None = Field(default=None, max_length=1024,
                                     description="The value of a TEXT header's variable.")
    header_media: TemplateMedia | None = Field(default=None, description="IMAGE, VIDEO and DOCUMENT headers.")
    buttons: list[TemplateButtonValue] = Field(default_factory=list, max_length=10)


class TemplateMediaSent(BaseModel):
    format: str = Field(description="image, video or document.")
    link: str
    filename: str | None = None


class TemplateSent(BaseModel):
    """The approved WhatsApp template a reply went out as, with the values it was sent with (the message's
    text is what the customer reads: header, body, footer and buttons filled in)."""

    name: str
    language: str
    parameters: list[str] = []
    named_parameters: dict[str, str] = {}
    header_text: str | None = None
    header_media: TemplateMediaSent | None = None
    buttons: list[TemplateButtonValue] = []
