"""The adapter for each inbound provider, by the name stored on an event (`InboundEvent.provider`)."""

from collections.abc import Callable

from mancrel.channel import mailgun, mime, postmark, sendgrid
from mancrel.inbox.inbound import InboundEmail

WEBHOOK_ADAPTERS = {"mailgun": mailgun, "postmark": postmark, "sendgrid": sendgrid}


def _imap(body: bytes, content_type: str) -> InboundEmail:
    return mime.parse_raw(body)


PARSERS: dict[str, Callable[[bytes, str], InboundEmail]] = {
    "mailgun": mailgun.parse, "postmark": postmark.parse, "sendgrid": sendgrid.parse, "imap": _imap}
