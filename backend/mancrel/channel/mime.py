"""Raw RFC 5322 / MIME mail -> InboundEmail, with the standard library's `email` package
(policy=default: decoded headers, `get_body`, charset handling). Used for IMAP fetches and
SendGrid's raw `email` field, and for header blocks the webhook providers pass along."""

import email
import email.parser
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from mancrel.inbox.inbound import InboundAttachment, InboundEmail
from mancrel.inbox.text import html_to_text

_POLICY = email.policy.default


def bare_id(value: str | None) -> str | None:
    """`<abc@host>` -> `abc@host`; None for an empty header."""
    value = (value or "").strip()
    if not value:
        return None
    return value.split()[0].strip("<>").strip() or None


def id_list(value: str | None) -> list[str]:
    """A References header: its Message-IDs, oldest first."""
    return [token.strip("<>") for token in (value or "").replace(",", " ").split() if token.strip("<>")]


def addresses(*values: str | None) -> list[str]:
    return [address for _, address in getaddresses([v for v in values if v]) if address]


def sender(value: str | None) -> tuple[str, str]:
    """(address, display name) of a From header."""
    pairs = [(name, address) for name, address in getaddresses([value or ""]) if address]
    return (pairs[0][1], pairs[0][0]) if pairs else ("", "")


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def return_path(value: str | None) -> str | None:
    """Return-Path header -> the envelope sender; "" is the null sender of a bounce."""
    if value is None:
        return None
    return value.strip().strip("<>").strip()


def header_block(text: str) -> list[tuple[str, str]]:
    """A raw header block (SendGrid's `headers` field) as (name, value) pairs, in order."""
    message = email.parser.HeaderParser(policy=_POLICY).parsestr(text.lstrip())
    return [(name, str(value)) for name, value in message.items()]


def text_from(text: str | None, html: str | None) -> str | None:
    """The plain text: the text part, else the HTML part converted (the HTML itself is kept too)."""
    if text:
        return text
    return html_to_text(html) if html else text


def _content(part: EmailMessage) -> str | None:
    try:
        return part.get_content()
    except (LookupError, UnicodeDecodeError):  # an unknown or lying charset: read what can be read
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", "replace")


def _embedded_bytes(part: EmailMessage) -> bytes:
    """A message/* part (a bounced original, a delivery-status report) as bytes."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return b"\n".join(inner.as_bytes() for inner in payload)
    return part.get_payload(decode=True) or b""


def _attachments(message: EmailMessage, bodies: set[int]) -> list[InboundAttachment]:
    found, queue = [], list(message.iter_parts()) if message.is_multipart() else []
    while queue:
        part = queue.pop(0)
        if part.get_content_maintype() == "message":  # kept whole, not walked into
            found.append(InboundAttachment(filename=part.get_filename() or "", content=_embedded_bytes(part),
                                           content_type=part.get_content_type()))
        elif part.is_multipart():
            queue[0:0] = list(part.iter_parts())
        elif id(part) not in bodies and (part.get_filename() or part.get_content_maintype() != "text"
                                         or part.get_content_type() == "text/rfc822-headers"):  # a bounce's original
            found.append(InboundAttachment(filename=part.get_filename() or "", content_type=part.get_content_type(),
                                           content=part.get_payload(decode=True) or b""))
    return found


def parse_raw(raw: bytes, *, envelope_sender: str | None = None) -> InboundEmail:
    """A whole RFC 822 message. `envelope_sender` (SMTP MAIL FROM) wins over Return-Path."""
    message = email.message_from_bytes(raw, policy=_POLICY)
    if not message.keys():
        raise ValueError("no mail headers found")
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    text = _content(text_part) if text_part is not None else None
    html = _content(html_part) if html_part is not None else None
    address, name = sender(message.get("from"))
    bodies = {id(p) for p in (text_part, html_part) if p is not None}
    return InboundEmail(
        from_address=address, from_name=name, to=addresses(message.get("to")), cc=addresses(message.get("cc")),
        subject=str(message.get("subject") or ""), text=text_from(text, html), html=html,
        message_id=bare_id(message.get("message-id")), in_reply_to=bare_id(message.get("in-reply-to")),
        references=id_list(message.get("references")),
        headers=[(k, str(v)) for k, v in message.items()],
        return_path=envelope_sender if envelope_sender is not None else return_path(message.get("return-path")),
        date=parse_date(message.get("date")), attachments=_attachments(message, bodies))


def message_id_of(raw: bytes) -> str | None:
    """Only the Message-ID, reading the header block alone (the webhook path's dedupe key)."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    message = email.parser.BytesHeaderParser(policy=_POLICY).parsebytes(head)
    return bare_id(message.get("message-id"))
