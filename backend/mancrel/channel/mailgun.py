"""Mailgun route forwards ("store and notify" / forward to URL): form fields `sender`, `from`,
`recipient`, `subject`, `body-plain`, `body-html`, `message-headers` (a JSON list of [name, value]),
`attachment-N` files, and `timestamp`, `token`, `signature` = hex HMAC-SHA256(signing key,
timestamp + token)."""

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from mancrel.channel import mime
from mancrel.channel.accept import Accepted, dedupe_key
from mancrel.channel.exceptions import UnparseablePayload, WebhookRefused
from mancrel.channel.forms import FormError, parse_form
from mancrel.inbox.inbound import InboundEmail

TOLERANCE_SECONDS = 5 * 60


def _form(body: bytes, content_type: str) -> tuple[dict[str, str], dict]:
    try:
        return parse_form(body, content_type)
    except FormError as exc:
        raise UnparseablePayload(str(exc)) from exc


def signature_of(signing_key: str, timestamp: str, token: str) -> str:
    return hmac.new(signing_key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()


def verify(fields: Mapping[str, str], signing_key: str | None, *, now: float) -> str:
    """The token, once the signature is right and fresh; WebhookRefused otherwise."""
    timestamp, token, signature = (fields.get(k, "") for k in ("timestamp", "token", "signature"))
    if not signing_key:
        raise WebhookRefused("The channel has no Mailgun signing key set.")
    if not (timestamp.isdigit() and token and signature):
        raise WebhookRefused("The delivery has no Mailgun signature (timestamp, token, signature).")
    expected = signature_of(signing_key, timestamp, token)
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise WebhookRefused("The Mailgun signature does not match the channel's signing key.")
    if abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        raise WebhookRefused("The Mailgun signature is more than 5 minutes old (or ahead).")
    return token[:200]


def _headers(fields: Mapping[str, str]) -> list[tuple[str, str]]:
    try:
        pairs = json.loads(fields.get("message-headers") or "[]")
        return [(str(name), str(value)) for name, value in pairs]
    except (ValueError, TypeError) as exc:
        raise UnparseablePayload("message-headers is not a JSON list of [name, value] pairs") from exc


def _first(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def accept(headers: Mapping[str, str], body: bytes, content_type: str, *, secrets: dict[str, Any],
           settings: dict[str, Any], now: float) -> Accepted:
    fields, _ = _form(body, content_type)
    token = verify(fields, secrets.get("signing_key"), now=now)
    message_id = mime.bare_id(fields.get("Message-Id") or _first(_headers(fields), "message-id"))
    return Accepted(dedupe_key=dedupe_key(message_id, body), replay_token=token)


def parse(body: bytes, content_type: str) -> InboundEmail:
    fields, files = _form(body, content_type)
    headers = _headers(fields)
    if not (fields.get("from") or fields.get("sender")):
        raise UnparseablePayload("the delivery names no sender (from / sender)")
    address, name = mime.sender(fields.get("from") or fields.get("sender"))
    text, html = fields.get("body-plain") or None, fields.get("body-html") or None
    attachments = [files[key] for key in sorted(files, key=lambda k: (len(k), k)) if key.startswith("attachment")]
    return InboundEmail(
        from_address=address, from_name=name,
        to=mime.addresses(_first(headers, "to") or fields.get("recipient")), cc=mime.addresses(_first(headers, "cc")),
        subject=fields.get("subject") or _first(headers, "subject") or "",
        text=mime.text_from(text, html), html=html,
        message_id=mime.bare_id(fields.get("Message-Id") or _first(headers, "message-id")),
        in_reply_to=mime.bare_id(fields.get("In-Reply-To") or _first(headers, "in-reply-to")),
        references=mime.id_list(fields.get("References") or _first(headers, "references")),
        headers=headers,
        # `sender` is the SMTP envelope's MAIL FROM, empty for a bounce.
        return_path=mime.return_path(fields["sender"]) if "sender" in fields else
        mime.return_path(_first(headers, "return-path")),
        date=mime.parse_date(_first(headers, "date")), attachments=attachments)
