"""Postmark inbound webhooks: JSON with `FromFull{Email,Name}`, `ToFull[]`, `CcFull[]`, `Subject`,
`TextBody`, `HtmlBody`, `Headers[{Name,Value}]` (the RFC Message-ID is in there; the top-level
`MessageID` is Postmark's own), `Attachments[{Name,Content(base64),ContentType}]`. Postmark signs
nothing: the webhook URL carries basic auth."""

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from mancrel.channel import mime
from mancrel.channel.accept import Accepted, check_basic_auth, dedupe_key
from mancrel.channel.exceptions import UnparseablePayload
from mancrel.inbox.inbound import InboundAttachment, InboundEmail


def _load(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnparseablePayload("the body is not JSON") from exc
    if not isinstance(data, dict):
        raise UnparseablePayload("the body is not a JSON object")
    return data


def _headers(data: dict[str, Any]) -> list[tuple[str, str]]:
    headers = data.get("Headers") or []
    if not isinstance(headers, list):
        raise UnparseablePayload("Headers is not a list")
    return [(str(h.get("Name", "")), str(h.get("Value", ""))) for h in headers if isinstance(h, dict)]


def _first(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def accept(headers: Mapping[str, str], body: bytes, content_type: str, *, secrets: dict[str, Any],
           settings: dict[str, Any], now: float) -> Accepted:
    check_basic_auth(headers, user=settings.get("basic_auth_user"), password=secrets.get("basic_auth_password"))
    message_id = mime.bare_id(_first(_headers(_load(body)), "message-id"))
    return Accepted(dedupe_key=dedupe_key(message_id, body), replay_token=None)


def _people(value: Any) -> list[str]:
    return [str(p["Email"]) for p in value or [] if isinstance(p, dict) and p.get("Email")]


def _attachment(item: dict[str, Any]) -> InboundAttachment:
    try:
        content = base64.b64decode(item.get("Content") or "", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise UnparseablePayload(f"attachment {item.get('Name')!r} is not base64") from exc
    return InboundAttachment(filename=str(item.get("Name") or ""), content=content,
                             content_type=str(item.get("ContentType") or "application/octet-stream"))


def parse(body: bytes, content_type: str) -> InboundEmail:
    data = _load(body)
    headers = _headers(data)
    sender = data.get("FromFull") if isinstance(data.get("FromFull"), dict) else {}
    address = str(sender.get("Email") or mime.sender(data.get("From"))[0])
    if not address:
        raise UnparseablePayload("the delivery names no sender (FromFull.Email)")
    text, html = data.get("TextBody") or None, data.get("HtmlBody") or None
    if data.get("ReplyTo") and _first(headers, "reply-to") is None:  # Postmark gives it beside the headers
        headers.append(("Reply-To", str(data["ReplyTo"])))
    return InboundEmail(
        from_address=address, from_name=str(sender.get("Name") or ""), to=_people(data.get("ToFull")),
        cc=_people(data.get("CcFull")), subject=str(data.get("Subject") or ""),
        text=mime.text_from(text, html), html=html,
        message_id=mime.bare_id(_first(headers, "message-id")),
        in_reply_to=mime.bare_id(_first(headers, "in-reply-to")),
        references=mime.id_list(_first(headers, "references")), headers=headers,
        return_path=mime.return_path(_first(headers, "return-path")),
        date=mime.parse_date(data.get("Date") or _first(headers, "date")),
        attachments=[_attachment(a) for a in data.get("Attachments") or [] if isinstance(a, dict)])
