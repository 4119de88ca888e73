"""The adapter for each inbound provider, by the name stored on an event (`InboundEvent.provider`)."""

from collections.abc import Callable

from mancrel.channel import mailgun, messenger, mime, postmark, sendgrid, whatsapp
from mancrel.inbox.inbound import DeliveryUpdate, InboundChat, InboundEmail, NotAMessage

WEBHOOK_ADAPTERS = {"mailgun": mailgun, "postmark": postmark, "sendgrid": sendgrid}


def _imap(body: bytes, content_type: str) -> InboundEmail:
    return mime.parse_raw(body)


Inbound = InboundEmail | InboundChat | DeliveryUpdate | NotAMessage
PARSERS: dict[str, Callable[[bytes, str], Inbound]] = {
    "mailgun": mailgun.parse, "postmark": postmark.parse, "sendgrid": sendgrid.parse, "imap": _imap,
    # Meta items as stored by the intake (one message or status each); Lead Ads has its own job.
    "whatsapp": whatsapp.read, "messenger": messenger.read}
