"""SendGrid Inbound Parse: a multipart form with `headers` (the raw header block), `from`, `to`,
`cc`, `subject`, `text`, `html`, `envelope` (JSON: to, from), `attachment1..N` files; or, with
"send raw" on, `email` (the whole MIME message). SendGrid signs nothing: basic auth in the URL."""

import json
from collections.abc import Mapping
from typing import Any

from mancrel.channel import mime
from mancrel.channel.accept import Accepted, check_basic_auth, dedupe_key
from mancrel.channel.exceptions import UnparseablePayload
from mancrel.channel.forms import FormError, parse_form
from mancrel.inbox.inbound import InboundEmail


def _form(body: bytes, content_type: str) -> tuple[dict[str, str], dict]:
    try:
        return parse_form(body, content_type)
    except FormError as exc:
        raise UnparseablePayload(str(exc)) from exc


def _first(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _envelope_sender(fields: Mapping[str, str]) -> str | None:
    try:
        envelope = json.loads(fields.get("envelope") or "{}")
    except ValueError as exc:
        raise UnparseablePayload("envelope is not JSON") from exc
    sender = envelope.get("from") if isinstance(envelope, dict) else None
    return mime.return_path(sender) if isinstance(sender, str) else None


def accept(headers: Mapping[str, str], body: bytes, content_type: str, *, secrets: dict[str, Any],
           settings: dict[str, Any], now: float) -> Accepted:
    check_basic_auth(headers, user=settings.get("basic_auth_user"), password=secrets.get("basic_auth_password"))
    fields, _ = _form(body, content_type)
    if "email" in fields:
        message_id = mime.message_id_of(fields["email"].encode("utf-8", "surrogateescape"))
    else:
        message_id = mime.bare_id(_first(mime.header_block(fields.get("headers", "")), "message-id"))
    return Accepted(dedupe_key=dedupe_key(message_id, body), replay_token=None)


def parse(body: bytes, content_type: str) -> InboundEmail:
    fields, files = _form(body, content_type)
    envelope_sender = _envelope_sender(fields)
    if "email" in fields:
        try:
            return mime.parse_raw(fields["email"].encode("utf-8", "surrogateescape"), envelope_sender=envelope_sender)
        except ValueError as exc:
            raise UnparseablePayload(f"the raw email could not be read: {exc}") from exc
    headers = mime.header_block(fields.get("headers", ""))
    address, name = mime.sender(fields.get("from") or _first(headers, "from"))
    if not address:
        raise UnparseablePayload("the delivery names no sender (from)")
    text, html = fields.get("text") or None, fields.get("html") or None
    attachments = [files[key] for key in sorted(files, key=lambda k: (len(k), k)) if key.startswith("attachment")]
    return InboundEmail(
        from_address=address, from_name=name, to=mime.addresses(fields.get("to")), cc=mime.addresses(fields.get("cc")),
        subject=fields.get("subject") or "", text=mime.text_from(text, html), html=html,
        message_id=mime.bare_id(_first(headers, "message-id")),
        in_reply_to=mime.bare_id(_first(headers, "in-reply-to")),
        references=mime.id_list(_first(headers, "references")), headers=headers,
        return_path=envelope_sender if envelope_sender is not None
        else mime.return_path(_first(headers, "return-path")),
        date=mime.parse_date(_first(headers, "date")), attachments=attachments)
