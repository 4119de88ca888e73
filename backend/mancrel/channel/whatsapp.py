"""WhatsApp Cloud API: a delivery's messages and statuses as stored items, and a stored item read
back as the inbox's normalised forms. Nothing else knows WhatsApp's JSON."""

import json
from datetime import UTC, datetime
from typing import Any

from mancrel.channel.exceptions import UnparseablePayload
from mancrel.channel.meta import Item, changes, entries
from mancrel.core import normalise
from mancrel.inbox.inbound import DeliveryUpdate, InboundChat, NotAMessage

MEDIA_KINDS = ("image", "video", "audio", "document", "sticker")
# No customer wrote these: number changes and other notices, reactions to a message, types the
# Cloud API cannot show us.
NOT_MESSAGES = {"system": "WhatsApp system notice", "reaction": "a reaction, not a message",
                "unsupported": "a message type the Cloud API does not deliver", "unknown": "unknown message type",
                "ephemeral": "a disappearing message the Cloud API does not deliver"}
STATUSES = ("sent", "delivered", "read", "failed")


def items(parsed: dict[str, Any]) -> list[Item]:
    """Each message and each status of a `whatsapp_business_account` delivery, with the context it needs."""
    found: list[Item] = []
    for entry in entries(parsed):
        for value in changes(entry, "messages"):
            metadata = value.get("metadata") or {}
            contacts = [c for c in value.get("contacts") or [] if isinstance(c, dict)]
            for message in value.get("messages") or []:
                if isinstance(message, dict) and message.get("id"):
                    found.append(Item(f"wamid:{message['id']}"[:998], {
                        "type": "message", "metadata": metadata, "contacts": contacts, "message": message}))
            for status in value.get("statuses") or []:
                if isinstance(status, dict) and status.get("id") and status.get("status"):
                    found.append(Item(f"status:{status['id']}:{status['status']}"[:998],
                                      {"type": "status", "metadata": metadata, "status": status}))
    return found


def _time(raw: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except (TypeError, ValueError, OverflowError):
        return datetime.now(UTC)


def _phone(wa_id: str) -> str | None:
    try:
        return normalise.phone("+" + wa_id.lstrip("+"))
    except ValueError:
        return None


def _words(kind: str, message: dict[str, Any]) -> tuple[str, dict | None, dict]:
    """The message's text (a placeholder line for what is not text), its media and its details."""
    part = message.get(kind) if isinstance(message.get(kind), dict) else {}
    if kind == "text":
        return str(part.get("body") or ""), None, {}
    if kind in MEDIA_KINDS:
        media = {k: part.get(k) for k in ("id", "mime_type", "sha256", "filename") if part.get(k)}
        label = f"[{kind}: {part['filename']}]" if part.get("filename") else f"[{kind}]"
        caption = str(part.get("caption") or "")
        return "\n".join(p for p in (label, caption) if p), media or None, {}
    if kind == "location":
        place = ", ".join(str(part[k]) for k in ("name", "address") if part.get(k))
        coords = f"({part.get('latitude')}, {part.get('longitude')})"
        return " ".join(p for p in ("[location]", place, coords) if p), None, {"location": part}
    if kind == "contacts":
        cards = [c for c in message.get("contacts") or [] if isinstance(c, dict)]
        lines = [" ".join([str((c.get("name") or {}).get("formatted_name") or ""),
                           *[str(p.get("phone")) for p in c.get("phones") or [] if p.get("phone")]]).strip()
                 for c in cards]
        return "\n".join(["[contact card]", *lines]), None, {"contacts": cards}
    if kind == "button":  # a tap on a template's quick-reply button
        return str(part.get("text") or part.get("payload") or ""), None, {"button": part}
    if kind == "interactive":
        reply = part.get("button_reply") or part.get("list_reply") or {}
        words = "\n".join(str(reply[k]) for k in ("title", "description") if reply.get(k))
        return words, None, {"interactive": part}
    raise UnparseablePayload(f"unknown WhatsApp message type {kind!r}")


def _message(body: dict[str, Any]) -> InboundChat | NotAMessage:
    message = body["message"]
    kind = str(message.get("type") or "unknown")
    if kind in NOT_MESSAGES or message.get("errors"):
        return NotAMessage(NOT_MESSAGES.get(kind, "undeliverable message (errors)"))
    wa_id = str(message.get("from") or "")
    if not wa_id:
        raise UnparseablePayload("a WhatsApp message without `from`")
    profile = next((c for c in body.get("contacts") or [] if c.get("wa_id") == wa_id), {})
    text, media, details = _words(kind, message)
    context = message.get("context") or {}
    return InboundChat(
        sender_id=wa_id, provider_message_id=str(message["id"]), text=text, occurred_at=_time(message.get("timestamp")),
        kind=kind, sender_name=str((profile.get("profile") or {}).get("name") or ""), phone=_phone(wa_id),
        reply_to=str(context["id"]) if context.get("id") else None, media=media, details=details)


def _status(body: dict[str, Any]) -> DeliveryUpdate | NotAMessage:
    status = body["status"]
    if status.get("status") not in STATUSES:
        return NotAMessage(f"status {status.get('status')!r}")
    errors = [e for e in status.get("errors") or [] if isinstance(e, dict)]
    error = "; ".join(
        f"{e.get('code', '')} {e.get('title') or e.get('message') or ''}: "
        f"{(e.get('error_data') or {}).get('details') or e.get('message') or ''}".strip(" :") for e in errors)
    return DeliveryUpdate(provider_message_id=str(status["id"]), status=status["status"],
                          at=_time(status.get("timestamp")), error=error or None)


def read(body: bytes, content_type: str) -> InboundChat | DeliveryUpdate | NotAMessage:
    """A stored item (see `items`) as the inbox takes it."""
    stored = json.loads(body)
    if stored.get("type") == "status":
        return _status(stored)
    if stored.get("type") == "message":
        return _message(stored)
    raise UnparseablePayload(f"not a stored WhatsApp item: {stored.get('type')!r}")
